"""Certification: exams over a suite of drills, results in SQLite, signed certificates, and the tools around them."""
