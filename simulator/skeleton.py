"""`salesdrill new`: a commented, valid, test-covered scenario to start a drill from."""

from __future__ import annotations

import re

__all__ = ["ID_PATTERN", "skeleton"]

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,40}$")

_TEMPLATE = """\
# A new drill: {drill_id}. Every key is explained in docs/scenario-format.md.
# Check it with `salesdrill validate FILE`, run its tests with `salesdrill test FILE`,
# draw it with `salesdrill graph {drill_id} --scenarios DIR`, practise it with
# `salesdrill --scenarios DIR practice {drill_id}`.
id: {drill_id}
persona: {persona}               # a persona id (built-in, or in your folder's personas/)
objection: {objection}           # which objection of principles.md this drill trains
section: objections
difficulty: 1
order: 200
title: {{zh: 新练习 {drill_id}, en: "New drill: {drill_id}"}}
goal:
  zh: 积极认同,讲出同类客户,约一个具体时间见面
  en: Agree, mention companies like theirs, and book a meeting at a concrete time
brief:
  zh: 在这里写清楚情境:你给谁打电话,对方是什么态度。
  en: "Describe the situation here: who you call, and how they feel about it."
start: objection
pass_mark: 60                    # a reply under this is a weak answer to the objection
max_tries: 2                     # the lecture's two tries
patience_end: hung_up            # reached when the prospect's patience runs out
tries_end: brushed_off           # reached on one weak answer more than max_tries

states:
  objection:                     # the prospect raises the objection
    say:
      zh: ["我们不需要。", "我们现在没这个打算。"]
      en: ["We don't need it.", "We're not planning anything like that."]
    again:                       # said when the rep's reply leaves the prospect where they were
      zh: ["我说了,不需要。"]
      en: ["Like I said, we don't need it."]
    expect: [acknowledge, social_proof]     # most important first; each is an equal share of 100
    avoid: [argue, discount, pushy]
    hint:
      zh: 先认同对方,再说明许多同类公司已经和你们合作。
      en: Agree first, then say many companies like theirs already work with you.
    on:                          # tried in order; the first that holds moves the prospect
      - when_any: [argue, pushy]
        go: annoyed
      - when: [acknowledge, social_proof]
        go: curious
      - otherwise: objection

  curious:
    say:
      zh: ["哦?那你们具体做什么?", "嗯,说来听听。"]
      en: ["Oh? What exactly do you do?", "Hm, go on."]
    expect: [ask_meeting]
    avoid: [long_pitch, discount]
    on:
      - when: [ask_meeting]
        go: meeting_booked
      - when_any: [long_pitch]
        go: annoyed
      - otherwise: curious

  annoyed:
    say:
      zh: ["你这是什么态度?", "我不喜欢被逼。"]
      en: ["What kind of attitude is that?", "I don't like being pushed."]
    expect: [acknowledge]
    avoid: [argue, pushy]
    on:
      - when_any: [argue, pushy]
        go: hung_up
      - when: [acknowledge]
        unless: [keep_door_open]  # agreeing brings the objection back; backing off ends the call
        go: objection
      - when: [keep_door_open]
        go: later
      - otherwise: annoyed

  meeting_booked:
    end: success
    say: {{zh: ["好吧,那就那个时间见。"], en: ["Alright, see you then."]}}
  later:
    end: failure
    say: {{zh: ["好,以后再说吧。"], en: ["Fine, maybe another time."]}}
  brushed_off:
    end: failure
    say: {{zh: ["我很忙,先这样吧。"], en: ["I'm busy, goodbye."]}}
  hung_up:
    end: failure
    say: {{zh: ["(对方挂断了电话)"], en: ["(They hang up.)"]}}

model_answer:                    # one reply per turn along the success path
  zh:
    - 太好了,这正是我打电话给您的原因。我们已经和很多像贵公司这样的企业合作了。
    - 下周二我正好在您附近,下午三点我过去拜访您,可以吗?
  en:
    - Great, that's exactly why I'm calling. We already work with many companies like yours.
    - I'll be near your office next Tuesday; could I visit you at 3pm?

tests:                           # conversation tests: replies in, states and scores out
  - name: the success path (zh)
    lang: zh
    replies:
      - 太好了,这正是我打电话给您的原因。我们已经和很多像贵公司这样的企业合作了。
      - 下周二下午三点我过去拜访您,可以吗?
    expect: {{states: [curious, meeting_booked], outcome: success, min_score: 80}}
  - name: the success path (en)
    lang: en
    replies:
      - Great, that's exactly why I'm calling. We already work with many companies like yours.
      - Could I visit you on Tuesday at 3pm?
    expect: {{states: [curious, meeting_booked], outcome: success, min_score: 80}}
  - name: a weak start, recovered
    lang: en
    replies:
      - Hm, okay.
      - Great, that's exactly why I'm calling. We already work with many companies like yours.
      - Could I visit you on Tuesday at 3pm?
    expect: {{states: [objection, curious, meeting_booked], outcome: success}}
  - name: arguing ends the call
    lang: en
    replies:
      - You're wrong, everyone needs this.
      - You don't understand, you're wrong.
    expect: {{end: hung_up, outcome: failure}}
  - name: three weak answers
    lang: zh
    replies: [嗯。, 好吧。, 这样啊。]
    expect: {{end: brushed_off, outcome: failure}}
  - name: a long pitch annoys, agreeing calms
    lang: en
    replies:
      - Great, that's exactly why I'm calling. We already work with many companies like yours.
      - Our platform has twelve modules, RFID, voice picking, cloud dashboards, AI slotting, forecasting, labour management and yard management, all fully integrated with your ERP.
      - I understand.
    expect: {{states: [curious, annoyed, objection]}}
  - name: no meeting asked, then one
    lang: en
    replies:
      - Great, that's exactly why I'm calling. We already work with many companies like yours.
      - Fine.
      - Could I visit you on Tuesday at 3pm?
    expect: {{states: [curious, curious, meeting_booked], outcome: success}}
  - name: annoyed, then backing off politely
    lang: zh
    replies:
      - 你错了,谁都需要这个。
      - 好吧。
      - 理解,您现在忙,那我下个月再给您打电话。
    expect: {{states: [annoyed, annoyed, later], outcome: failure}}
"""


def skeleton(drill_id: str, persona: str, objection: str = "not_interested") -> str:
    return _TEMPLATE.format(drill_id=drill_id, persona=persona, objection=objection)
