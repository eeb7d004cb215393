"""The matcher on a tiny library of its own, so these tests pin behaviour, not content."""

from __future__ import annotations

from itertools import pairwise, product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.matcher import Found, Matcher, _closest_apart, _names, _Reply, _zh_company_names, stem
from scoring.normalise import normalise
from scoring.rubric import score_reply
from simulator.explain import describe_near_miss
from simulator.library_loader import library_from_docs
from simulator.yamlfile import load_yaml

EXPECT = ["acknowledge", "social_proof", "ask_meeting"]


@pytest.fixture(scope="module")
def matcher(mini_library_text):
    path, text = mini_library_text
    library, problems = library_from_docs([load_yaml(text, path)])
    assert not problems
    return Matcher(library)


@pytest.mark.parametrize(
    ("reply", "hits"),
    [
        ("太好了!我们和很多像贵公司这样的企业都有合作,周二下午三点我来拜访您?", {"acknowledge", "social_proof", "ask_meeting"}),
        ("太好了!我們和很多像貴公司這樣的企業都有合作", {"acknowledge", "social_proof"}),
        ("Great, we work with many companies like yours; can I visit Tuesday at 3pm?",
         {"acknowledge", "social_proof", "ask_meeting"}),
        ("great we partner with lots of firms like yours", {"acknowledge", "social_proof"}),
        ("lets meeet tusday at 3", {"ask_meeting"}),
        ("我们公司很大", set()),
    ],
)
def test_principles_found(matcher, reply, hits):
    assert set(matcher.match(reply).hits(EXPECT)) == hits


@pytest.mark.parametrize(("reply", "pid"), [
    ("损失我们来承担,下周一我上门给您换新的", "make_amends"),  # bearing the loss is making amends
    ("Mr Wang please, it's about the order he placed", "name_a_contact"),  # a name and a please, no "speak to"
    ("Is your current supplier able to keep up with rush orders?", "probe_needs"),  # the supplier named in full
    ("他们家的东西质量一般,价格还贵,您换我们肯定划算。", "badmouth_competitor"),
    ("我们可以给您比现在低一成的价格,您试试呗。", "discount"),  # a cut said in tenths
    ("您都没听我说完怎么就知道不需要呢?这样判断太草率了吧。", "argue"),
    ("能麻烦您告诉我他的直线电话吗?", "ask_decision_maker"),  # the person already named
    ("你能不能别问那么多,转一下会死吗", "rude"),
    ("好的好的,不耽误您,那我明天再打给您。", "keep_door_open"),  # a call-back, not pressure
    ("Is there anything your current supplier can't always cover?", "probe_needs"),
    ("What don't they cover for you?", "probe_needs"),
    ("Is there anything they struggle to keep in stock for you?", "probe_needs"),
    ("嗯嗯,后来呢?", "let_vent"),  # inviting the rest of the story
    ("What exactly disappointed you?", "let_vent"),
    ("We've been really busy with new customers. Can I come by Monday at 2pm?", "blame_customer"),  # an excuse
    ("Well, price is price, I can't change it, so I guess that's that.", "give_up"),
    ("没关系,我每周都给您打一次,直到您有预算为止。", "pushy"),
    ("请问李经理一般什么时候在?我好再打过去,谢谢啊。", "keep_door_open"),  # when to call back, not giving up
    ("您批评得对。以后我每个季度给您打一次电话。", "lifetime_value"),
    ("Thanks so much, sorry to have bothered you. Might you know who I should speak to?", "ask_decision_maker"),
    ("我们产品本身没问题的,估计是你们安装的时候没弄好。", "blame_customer"),
    ("你是前台吧?找个说了算的来接。", "rude"),
    ("有用的东西哪个公司都有预算的,就看您重视不重视了。", "argue"),
    ("You pros always squeeze us on price, it's annoying.", "rude"),
    ("别家便宜是因为东西差,一分钱一分货嘛。", "badmouth_competitor"),
    ("With all due respect, compared to what? Our price is fair.", "argue"),
    ("Sounds like someone didn't plan very well this year.", "blame_customer"),
    ("Well, good luck with that. Be my guest.", "rude"),
    ("The deal expires at five today, so decide quickly.", "pushy"),
    ("I'll need a signature by Friday to hold this price.", "pushy"),
    ("Your old provider never rang anyone either, did they?", "badmouth_competitor"),
    ("有供应商又怎样?关键是您还没算清楚这笔账。", "argue"),
    ("等你们有钱了再说吧,心里没点数吗。", "rude"),
    ("说到底是你们采购偷懒,不愿意多比几家。", "blame_customer"),
    ("您迟早得换,不如趁现在。", "pushy"),
    ("那些贸易商就是倒手赚差价的。", "badmouth_competitor"),
    ("I'll leave it there for now and ring you in October when you're budgeting.", "keep_door_open"),
    ("Say you had two certificates of deposit: the dearer one with the higher rate is the better buy.", "value_not_price"),
    ("就像两张存单,贵一点的那张利息高,您会买哪一张?", "value_not_price"),  # the lecture's own example
    ("I'll ring again tomorrow, and the day after, until he picks up.", "pushy"),
    ("Honestly, I can give you a better deal if you sign today.", "discount"),
    ("你们公司前台都这么“专业”吗?", "rude"),
    ("Honestly, Kestrel Packaging is unreliable, everyone says so.", "badmouth_competitor"),  # a rival by name
    ("Heaps of the dental practices we look after started exactly where you are.", "social_proof"),  # any crowd
    ("That's on us, sorry. I'll be your contact from now on and set up regular check-ins.", "make_amends"),
    ("是我们没做好,以后我就是您的专属对接人,有问题直接找我。", "make_amends"),
    ("Most of the site managers I call say the same on the first call.", "social_proof"),
    ("Your team never returned our questionnaire, so the process wasn't followed.", "blame_customer"),
    ("您是花钱买了产品,验收单您可是签了字的。", "blame_customer"),
    ("您现在用的那家啊,报价的时候说得天花乱坠,出了问题就找不到人。", "badmouth_competitor"),
    ("Maybe our emails ended up in your spam folder?", "blame_customer"),
    ("We did warn you at the time that the basic model wouldn't cope.", "blame_customer"),
    ("Oh how marvellous, another person who can't help me.", "rude"),
    ("I need a yes by end of day.", "pushy"),
    ("合同第五条其实有写清楚的,可能您没注意。", "blame_customer"),
    ("那家的东西老掉牙了,您还在用啊?", "badmouth_competitor"),
    ("您要只看价格,那您可能不是我们的目标客户。", "rude"),
    ("If price is all you care about, go and buy from Brackley then.", "rude"),
    ("Well, you were on the basic plan, so that's what you paid for.", "blame_customer"),
    ("That's exactly the attitude that's got your margins where they are.", "blame_customer"),
    ("嫌贵啊?那您买便宜的去呗。", "rude"),
    ("那我再给您便宜一点,行吧?", "discount"),
    ("他们那个售后基本就是摆设。", "badmouth_competitor"),
    ("You know your stuff, so I'll quote component by component with the specs.", "adapt_to_buyer"),
    ("您是行家,我们可以只卖核心部件,服务那部分去掉。", "adapt_to_buyer"),
    ("If you've never used anything like this, we'd set it all up and train your people.", "adapt_to_buyer"),
    ("Is there anything your current supplier isn't doing so well?", "probe_needs"),
    ("What happens when the line goes down at the weekend?", "probe_needs"),
    ("现在这家有没有哪块您觉得还差点意思?", "probe_needs"),
    ("冒昧问一句,目前你们这块主要是怎么处理的?", "probe_needs"),
    ("Totally understand. When does your budget cycle start? I'll give you a call around then.", "keep_door_open"),
    ("No worries, I'll try him again Thursday morning. Thanks!", "keep_door_open"),
    ("那我先不打扰您,下个季度初再给您打个电话,好吗?", "keep_door_open"),
    ("I'm sorry. I'll ring you monthly from now on and pop in on Friday at 11.", "make_amends"),
    ("不好意思,是我们疏忽了,以后我每个季度都给您打个电话回访。", "make_amends"),
    ("Lots of clinics kept their main cleaning company and brought us in for the deep cleans.", "complement_supplier"),
    ("We usually sit alongside whoever's already there, for the odd jobs.", "complement_supplier"),
    ("Our service doesn't stop once the invoice is paid. Could I come out Tuesday at 9:30?", "lifetime_value"),
    ("售后服务本来就该一直做下去,下周三我过去看看。", "lifetime_value"),
    ("那算了下次再说吧。", "give_up"),  # 算了 as "forget it", though 算了一下 is "worked it out"
    ("Fair enough, and I'd be fuming too if that happened to me. What went wrong?", "empathy"),
    ("Sales is a long game and I'm not after an order. Thursday the 11th at 4?", "relationship_process"),
    ("哦,那不好意思。能帮我转给负责人吗?", "apologize_redirect"),
    ("哎呀,是我这边的名单有问题,把您当成负责人了。采购是哪位在管?", "apologize_redirect"),
    ("I'll go 8% under whatever they charge, and unlike Norvale we actually ship on time.", "badmouth_competitor"),
    ("No budget, no problem. I'll call back when you're a proper-sized company.", "rude"),
    ("A lot of that was down to your IT lead skipping the onboarding calls.", "blame_customer"),
    ("Respectfully, you're not locked in with them. Contracts end.", "argue"),
    ("你们财务要是认真算过这笔账,您今天就不会说不需要了。", "blame_customer"),
    ("跟你说你也不太懂,简单讲就是能省钱。", "rude"),
    ("您说有供应商,这话我每天听几十遍,真不算什么理由。", "argue"),
    ("Ah, no problem at all, I should've guessed this would be a bit above your level.", "rude"),
    ("Though in fairness, nobody from your side ever told us there was a problem.", "blame_customer"),
    ("I'd gently push back on 'not satisfied': your survey gave us four out of five.", "argue"),
    ("这种事确实不是您这个层级能决定的,您就帮我问问采购负责人。", "rude"),  # the negator is part of the slight
    ("不过当时出问题以后,我们联系了贵公司好几次,都没有得到回复。", "blame_customer"),
    ("Then honestly, why are we even talking? Call us when you've got money.", "rude"),
    ("If you didn't call, how will we know?", "blame_customer"),
    ("你们那个操作员根本没培训好嘛,说明书也不看。", "blame_customer"),
    ("他们家卖完连电话都不接。", "badmouth_competitor"),
    ("你们还在用华信的系统吧?就那个老掉牙的东西。", "badmouth_competitor"),  # a rival by name
    ("采购嘛,眼里只有价格也正常,毕竟技术上的东西你们不一定看得懂。", "rude"),
    ("Mind you, whoever set up that contract on your side probably didn't shop around much.", "blame_customer"),
    ("I'll keep this nice and simple so it's easy for you to pass along.", "rude"),
    ("We're not the cheapest, but firms like yours get a solid return. Thursday at 2?", "value_not_price"),
    ("妹子你别跟我整这出,我知道他在,你给我转过去得了。", "rude"),
])
def test_the_library_finds_principles_said_in_other_words(catalog, reply, pid):
    assert pid in catalog.matcher.match(reply).hits()


@pytest.mark.parametrize(
    ("reply", "found"),
    [
        ("我们可以给您打折", True),
        ("我们从来不打折", False),
        ("我们不会降价,但是可以谈谈价值", False),
        ("不少客户问过能不能打折,我们可以打折", True),  # 不少 negates nothing
        ("没预算我们可以打折", True),  # "no budget" states the objection; it negates nothing after it
        ("we can give you a discount", True),
        ("we never offer discounts", False),
        ("we don't do discounts", False),
        ("we can give you a discuont", True),  # a typo is still a discount
    ],
)
def test_negation_and_typos_on_anti_patterns(matcher, reply, found):
    assert bool(matcher.match(reply).hits(["discount"])) is found


def test_negated_term_is_explained(matcher):
    evidence = matcher.match("我们从来不打折").evidence["discount"]
    assert not evidence.hit
    assert evidence.negated and evidence.negated[0].words == "打折"


def test_vague_meeting_is_a_near_miss_with_reason(matcher):
    evidence = matcher.match("Can we meet? What time works for you?").evidence["ask_meeting"]
    assert 0 < evidence.strength < 0.6
    assert evidence.near_miss is not None
    assert (evidence.near_miss.reason, evidence.near_miss.missing) == ("partial", ("_slot_",))
    assert describe_near_miss(evidence.near_miss, "en") == "found 'meet' but not a concrete date or time"
    assert "具体的日期或时间" in describe_near_miss(evidence.near_miss, "zh")


def test_cue_groups_must_be_close(matcher):
    far = "many " + "x " * 80 + "companies work"
    assert not matcher.match(far).hits(["social_proof"])


def test_exemplar_close_wording_counts(matcher):
    # No acknowledge cue word ('great'/'exactly why') in this form, but it is the exemplar nearly verbatim.
    result = matcher.match("great, that is exactly why im calling")
    assert result.evidence["acknowledge"].hit


def test_words_that_triggered_are_reported(matcher):
    result = matcher.match("太好了,我们和许多企业有业务关系")
    assert result.evidence["social_proof"].words == ("许多", "企业", "业务关系")


def test_same_input_same_result(matcher):
    reply = "Great, we work with many companies; visit Tuesday 3pm? no discount"
    first = score_reply(reply, EXPECT, matcher)
    for _ in range(3):
        again = score_reply(reply, EXPECT, matcher)
        assert (again.score, again.hits, again.missed, again.anti_patterns) == (
            first.score, first.hits, first.missed, first.anti_patterns)


@pytest.mark.parametrize("words", [
    ("company", "companies"), ("meet", "meeting", "meets"), ("offer", "offered", "offers"),
    ("run", "running", "runs"), ("plan", "planned", "planning"), ("class", "classes"),
    ("call", "calls", "called", "calling"), ("miss", "missed", "misses"), ("sell", "selling"),
    ("press", "pressed"), ("fill", "filled"), ("add", "added"),
])
def test_a_word_and_its_inflections_share_a_stem(words):
    """A cue term in one form must meet the reply's word in another: "call" meets "called"."""
    assert len({stem(w) for w in words}) == 1, {w: stem(w) for w in words}


@pytest.mark.parametrize("reply", ["太好了 很多公司 合作 周二下午三点", "great many companies work meet tuesday 3pm"])
def test_keyword_lists_do_not_count(matcher, reply):
    result = matcher.match(reply)
    assert result.keyword_list
    assert not result.hits(EXPECT)
    assert result.evidence["social_proof"].near_miss.reason == "keyword_list"


@pytest.mark.parametrize(("reply", "is_list"), [
    ("啊,真抱歉。当时出了什么问题?", False),  # a particle and punctuation: said to someone
    ("真抱歉,当时出了什么问题呢?", False),
    ("太好了 许多公司 业务关系 总成本 拜访 下午三点 有空吗", True),  # spaced key words with a 吗 on the end
])
def test_a_chinese_question_is_not_a_keyword_list(catalog, reply, is_list):
    assert catalog.matcher.match(reply).keyword_list is is_list


def test_a_short_real_sentence_is_not_a_keyword_list(matcher):
    result = matcher.match("太好了,我们和很多企业合作,周二下午三点拜访您")
    assert not result.keyword_list
    assert set(result.hits(EXPECT)) == set(EXPECT)


def test_pinyin_input_slips_still_count(matcher):
    result = matcher.match("太好了,我们和很多企业都有和作,周二下午三点我来白访您")  # 合作→和作, 拜访→白访
    assert set(result.hits(EXPECT)) == set(EXPECT)
    slipped = {f.words: f.term for ev in result.evidence.values() for f in ev.found if f.fuzzy}
    assert slipped == {"和作": "合作", "白访": "拜访"}


def test_particles_are_not_slips():
    from scoring.matcher import _homophone_slip

    assert _homophone_slip("和作", "合作")
    assert not _homophone_slip("您的", "您得")


@pytest.mark.parametrize(("typed", "term"), [("打这", "打折"), ("把这", "八折"), ("就这", "九折"), ("过综", "郭总"),
                                             ("减免", "见面"), ("号码", "好吗"), ("受一", "收益")])
def test_other_words_that_sound_alike_are_not_slips(typed, term):
    from scoring.matcher import _homophone_slip

    assert not _homophone_slip(typed, term)


def test_homophone_of_a_common_word_does_not_trigger(matcher):
    assert "discount" not in matcher.match("您方便的话,我打这个电话是想约您见个面").hits()


def _library(text: str) -> Matcher:
    library, problems = library_from_docs([load_yaml(text, "lib.yaml")])
    assert not problems, problems
    return Matcher(library)


_SMALL = """
principles:
  long_pitch:
    kind: anti_pattern
    name: {zh: 长篇推销, en: Long pitch}
    tip: {zh: 少讲产品。, en: Keep it short.}
    cues:
      en: [[[specs, features], [specs, technology]]]
      zh: [[[性能, 功能], [性能, 技术]]]
  keep_door_open:
    kind: principle
    name: {zh: 不自断退路, en: Keep the door open}
    tip: {zh: 改天再打。, en: Call again another day.}
    overrides: [give_up]
    cues:
      en: [[[another day], [call]]]
  give_up:
    kind: anti_pattern
    name: {zh: 放弃, en: Give up}
    tip: {zh: 别放弃。, en: Don't give up.}
    cues:
      en: [[[sorry to bother]]]
"""


def test_one_word_cannot_meet_two_groups_of_a_cue():
    small = _library(_SMALL)
    assert "long_pitch" not in small.match("the specs are on our site").hits()
    assert "long_pitch" in small.match("the specs and the technology are new").hits()
    assert "long_pitch" not in small.match("我们的性能很好").hits()


def test_a_principle_shown_rules_out_what_it_overrides():
    small = _library(_SMALL)
    alone = small.match("ok, sorry to bother you")
    assert alone.hits() == ("give_up",)
    both = small.match("sorry to bother you, I'll call another day")
    assert both.hits() == ("keep_door_open",)
    assert both.evidence["give_up"].near_miss.reason == "overridden"
    assert "keep_door_open" in describe_near_miss(both.evidence["give_up"].near_miss, "en")


def test_overriding_an_unknown_id_is_a_located_problem():
    _library_text = _SMALL.replace("overrides: [give_up]", "overrides: [give_upp]")
    _, problems = library_from_docs([load_yaml(_library_text, "lib.yaml")])
    assert any("unknown id 'give_upp'" in str(p) and "did you mean 'give_up'" in str(p) and p.line for p in problems)


@pytest.mark.parametrize("reply", ["we have been treated well", "it saves money", "I can bring the file"])
def test_a_different_first_letter_is_another_word_not_a_typo(matcher, reply):
    found = {f.words for ev in matcher.match(reply).evidence.values() for f in ev.found}
    assert not found & {"treated", "money", "bring"}


def test_negation_stops_at_a_chinese_full_stop(matcher):
    result = matcher.match("我们不会让您失望。太好了,很多企业都和我们合作")
    assert "acknowledge" in result.hits()


def test_set_phrases_do_not_lend_their_characters():
    small = _library("""
principles:
  relationship_process:
    kind: principle
    name: {zh: 建立关系, en: Relationship}
    tip: {zh: 先建立关系。, en: Start the relationship.}
    cues:
      zh: [[[关系]]]
""")
    assert "relationship_process" not in small.match("没关系,我理解").hits()
    assert "relationship_process" in small.match("先建立关系").hits()


@pytest.mark.parametrize(("word", "expected"), [("year's", "year"), ("customer's", "customer"), ("that's", "that's"),
                                                ("let's", "let's")])
def test_possessives_are_stemmed_but_not_contractions(word, expected):
    assert stem(word) == expected


@pytest.mark.parametrize("reply", ["I great many companies partner firms visit come tuesday 3pm",
                                   "Great! Many. Companies. Partner. Firms. Businesses. Visit. Come. Tuesday 3pm."])
def test_english_without_grammar_is_a_keyword_list_even_with_a_pronoun(matcher, reply):
    result = matcher.match(reply)
    assert result.keyword_list and not result.hits(EXPECT)


def test_terse_english_with_grammar_is_an_answer(matcher):
    result = matcher.match("Great, so many companies partner with us. Could I visit you on Tuesday at 3pm?")
    assert not result.keyword_list
    assert set(result.hits(EXPECT)) == set(EXPECT)


def test_noted_is_not_a_negator():
    assert stem("noted") == "noted" and stem("needed") == "need"


_LANGS = """
principles:
  ask_meeting:
    kind: principle
    name: {zh: 约见, en: Meeting}
    tip: {zh: 约时间。, en: Offer a slot.}
    cues:
      en: [[[_date_], [_time_]]]
      zh: [[[拜访, 过去], [_date_, _time_]]]
  pushy:
    kind: anti_pattern
    name: {zh: 施压, en: Pushy}
    tip: {zh: 别施压。, en: Don't push.}
    cues:
      zh: [[[今天必须]]]
      en: [[["sign _date_"]]]
"""


def test_a_cue_applies_to_replies_in_its_own_language():
    small = _library(_LANGS)
    assert "ask_meeting" not in small.match("好的,明天上午十点再打过来").hits()  # the English date+time cue
    assert "ask_meeting" in small.match("Tuesday at 3pm?").hits()
    assert "ask_meeting" in small.match("我周二下午三点过去拜访您").hits()


def test_a_term_around_a_slot_matches_that_slot():
    small = _library(_LANGS)
    assert "pushy" in small.match("您今天必须签").hits()
    assert "pushy" not in small.match("您周四来也行").hits()


def test_a_term_that_is_only_a_date_is_reported():
    text = _LANGS.replace('[[["sign _date_"]]]', "[[[next week]]]")
    _, problems = library_from_docs([load_yaml(text, "lib.yaml")])
    assert any("'next week' reads as any date" in str(p) for p in problems)


def test_a_dash_ends_a_clause_so_negation_stops_there(matcher):
    assert "ask_meeting" in matcher.match("We won't push you — could I visit Tuesday at 3pm?").hits()


def test_overrides_do_not_depend_on_file_order():
    chain = """
principles:
  acknowledge:
    kind: principle
    name: {zh: 认同, en: Acknowledge}
    tip: {zh: 认同。, en: Agree.}
    cues: {en: [[[fair enough]]]}
  give_up:
    kind: anti_pattern
    name: {zh: 放弃, en: Give up}
    tip: {zh: 别放弃。, en: Don't give up.}
    overrides: [acknowledge]
    cues: {en: [[[sorry to bother]]]}
  keep_door_open:
    kind: principle
    name: {zh: 留余地, en: Door open}
    tip: {zh: 改天。, en: Another day.}
    overrides: [give_up]
    cues: {en: [[[another day]]]}
"""
    reply = "Fair enough, sorry to bother you, I'll call another day"
    assert set(_library(chain).match(reply).hits()) == {"acknowledge", "keep_door_open"}
    assert _library(chain).match("fair enough, sorry to bother you").hits() == ("give_up",)


@pytest.mark.parametrize("bare", ["off", "no", "yes", "on"])
def test_a_bare_yes_no_word_as_a_term_is_a_located_problem(bare):
    """YAML reads a bare off/no/yes/on as true or false: the cue would look for the word 'False'."""
    text = _LANGS.replace('[[["sign _date_"]]]', f"[[[knock], [{bare}]]]")
    _, problems = library_from_docs([load_yaml(text, "lib.yaml")])
    located = [p for p in problems if "read as true/false" in str(p)]
    assert len(located) == 1 and (located[0].line, located[0].column) == (16, 23), problems
    quoted = _LANGS.replace('[[["sign _date_"]]]', f'[[[knock], ["{bare}"]]]')
    assert library_from_docs([load_yaml(quoted, "lib.yaml")])[1] == []


_GIVE_UP = """
principles:
  give_up:
    kind: anti_pattern
    name: {zh: 放弃, en: Giving up}
    tip: {zh: 别放弃。, en: Don't give up.}
    cues:
      zh: [[[算了, 挂了]]]
"""


@pytest.mark.parametrize(("reply", "negated"), [
    ("没预算那就算了", False),  # 那 opens a new clause: the negation of 预算 stops there
    ("没预算就算了吧", False),
    ("没预算,算了", False),
    ("不算了,我们再聊聊", True),
])
def test_a_negation_stops_where_a_new_clause_opens(reply, negated):
    result = _library(_GIVE_UP).match(reply)
    assert ("give_up" in result.hits()) is not negated


_SOUNDS = """
principles:
  discount:
    kind: anti_pattern
    name: {zh: 打折, en: Discount}
    tip: {zh: 别打折。, en: No discount.}
    cues:
      zh: [[[再减, 降价]]]
  argue:
    kind: anti_pattern
    name: {zh: 争辩, en: Arguing}
    tip: {zh: 别争辩。, en: Don't argue.}
    cues:
      zh: [[[哪家不]]]
"""


@pytest.mark.parametrize(("reply", "hit"), [
    ("好的,那再见", None),  # 再见 is goodbye, not 再减 mistyped
    ("这个可以讲价吗", None),  # 讲价 is a word of its own
    ("那家不行", None),  # "that firm won't do", not 哪家不
    ("价格我再捡一点", "discount"),  # 捡 for 减: a slip
    ("可以给您绛价", "discount"),
])
def test_a_homophone_that_is_a_common_word_is_not_a_slip(reply, hit):
    hits = _library(_SOUNDS).match(reply).hits()
    assert hits == ((hit,) if hit else ())


@pytest.mark.parametrize("reply", ["It wasn't your team's fault at all", "it wasnt your fault, it was ours"])
def test_every_negated_auxiliary_negates(catalog, reply):
    """"wasn't your fault" clears the customer: it is not blaming them."""
    assert "blame_customer" not in catalog.matcher.match(reply).hits()


@pytest.mark.parametrize(("reply", "pid"), [
    ("挺好的,有稳定的合作方说明您对这块很重视。", "badmouth_competitor"),  # 合作方 holds no 作坊
    ("您好,我找一下客户经理", "name_a_contact"),  # 客户经理 holds no 胡经理
    ("您这么大一个公司,肯定有不少供应商吧?", "blame_customer"),  # 大一个 holds no 大意 (careless)
    ("非常抱歉。设备用下来怎么样?", "complement_supplier"),  # 设备用 holds no 备用 (a spare)
    ("好的好的,不耽误您,那我明天再打给您。", "pushy"),
    ("明白明白,您忙。能耽误您一分钟吗?", "pushy"),  # asking for a minute politely
    ("理解理解,就耽误您一分钟,我们跟附近很多厂子都有合作,下周二上午十点我过去拜访下您?", "pushy"),
    ("您批评得对。以后我每个季度给您打一次电话,有什么事直接找我就行。", "give_up"),  # following up is not giving up
    ("Many companies like yours cut total costs with us. Can I send you a brochure today?", "ask_meeting"),
    ("I understand, you're busy. Can I ask what you use today for this?", "ask_meeting"),
    ("请问您今天下班前方便回个电话吗?", "ask_meeting"),  # a call-back is not a visit
    ("I'm not going to push you. Lots of similar firms use us.", "rude"),  # "you. Lots" is no "you lot"
    ("You're right, sorry. We'll do better with follow-up from now on.", "pushy"),  # "now" and "better" apart
    ("We'll make sure it's set up properly for you this time.", "blame_customer"),  # "properly" said of ourselves
    ("Could you just put me through, please?", "rude"),
    ("Thanks for your time, I'll call again next week.", "pushy"),  # a call-back, as in Chinese
    ("从这个月开始我每个季度上门回访一次,第一次就定在本周四上午十点,您看行吗?", "pushy"),  # 就定在: scheduled
    ("明白,价钱大家都看重,很多同行跟我们合作觉得回报合理。", "badmouth_competitor"),  # 价钱 holds no 加钱
    ("我之后会定期打给你,睇下用得点样。", "blame_customer"),  # 下用 is no slip for 瞎用
    ("预算没下来咱就先处着,买卖这事儿哪有一锤子的。", "argue"),
    ("您说得对,他们的报价确实比我们低一些,他们也是很正规的公司。", "discount"),  # conceding, not cutting
    ("Price, price, price, love it. When's good for you to go over the numbers?", "rude"),
    ("With all due respect to your supplier, I don't want to replace them.", "argue"),
    ("omg ur totally right and im sorry, thats on us.", "rude"),
    ("A lot of customers who are let down just go quiet, so thank you for telling me.", "blame_customer"),
    ("Sorry, that was our fault. We should have checked in after delivery.", "blame_customer"),  # owning it
    ("No worries, everyone's flat out this time of year. Can I ring again in a month?", "blame_customer"),
    ("Most clients ended up trimming their spend. I'm over your way now; could I swing by at 10:30?", "pushy"),
    ("I'm in the West End next Wednesday. Any chance of half an hour at 2?", "badmouth_competitor"),
    ("Sir, I beg to differ: the savings pay for it in six months.", "rude"),  # beg is no begging
    ("哎呀那太好了,您这么一说我就明白了,这正是我给您打电话的原因。", "rude"),
    ("价格确实是大家都关心的,很多同行一开始也觉得贵。", "rude"),  # 大家 is no slip for 大驾
    ("下周二上午十点我正好在你们那边,能不能当面听您把情况从头讲一讲?", "blame_customer"),
    ("下周二上午十点我正好在你们那边,能不能当面听您把情况从头讲一讲?", "long_pitch"),
    ("我哋唔系要你哋换走原来嗰家。下个礼拜二过嚟倾十五分钟得唔得?", "badmouth_competitor"),  # 得唔得 asks
    ("Is there anything they struggle to keep in stock for you?", "badmouth_competitor"),  # probing, not running down
    ("The dearer of two bonds can be the better deal if it pays more back.", "discount"),  # value, not a cut
    ("Let's skip the service bundle and price just the parts you buy.", "blame_customer"),
    ("我们的客户里不少专业采购都这么合作。", "rude"),  # 专业 said plainly, not in sarcastic quotes
    ("We're not the cheapest, but at least we're not the most expensive either.", "badmouth_competitor"),
    ("您下周能来我们公司看看吗?", "blame_customer"),  # 来我们 is no slip for 赖我们 (blame us)
    ("You pick the specs you need and we quote each part.", "blame_customer"),  # advice, not "you picked"
    ("我们会把说明书写清楚,以后不再让您操心。", "blame_customer"),  # our manual, made clearer
    ("No judgement at all, plenty of firms are in the same spot.", "rude"),
    ("我们以前售后确实跟不上,这是我们的问题。", "badmouth_competitor"),  # our own fault, owned
    ("您慢慢讲,我这边认真记一下。", "argue"),  # 记一下 (noting it down) is no slip for 挤一下
    ("你们那边前台都挺配合的,不配合的是我。", "rude"),  # 不配合 holds no 不配 (not worthy)
    ("很多客户算了总成本以后觉得还行,下周二我过来细聊?", "give_up"),  # 算了 as "worked out"
    ("就像两张存单,一张便宜一点收益低,一张贵一点收益高。", "discount"),  # the lecture's example
    ("您虽然不负责,同行里也有不少在用我们。", "badmouth_competitor"),  # 不负责: not in charge
    ("Who are you with at the moment, if you don't mind me asking? I'm near you now.", "pushy"),
    ("I'm out your way on Thursday; could I pop in at half ten?", "give_up"),
    ("Could we grab a coffee sometime next week?", "rude"),
    ("That's on us, no excuse for it. Tell me what happened from your side.", "blame_customer"),
    ("That's on us, no excuse for it. Tell me what happened from your side.", "pushy"),
    ("Sorry, I must have got the wrong end of the stick. Who handles purchasing?", "argue"),
    ("You know, our parts last longer.", "adapt_to_buyer"),  # a filler, not the buyer's expertise
    ("我们很专业,服务也好。", "adapt_to_buyer"),  # our expertise, not theirs
    ("我们的单价不是最低,但总成本更低。", "adapt_to_buyer"),  # value talk, not unbundling
    ("OK, what price do you need? I can do 10% off today.", "probe_needs"),
    ("Is there a better time to reach him this week?", "probe_needs"),
    ("您这几个月用下来有没有遇到什么问题?", "probe_needs"),  # after-sale care, not an unmet need
    ("我们主要是在他们现有供应商覆盖不到的地方做补充。", "probe_needs"),  # a statement, not a question
    ("I'll be in Derby on Tuesday the 11th. Could I call in at 10?", "keep_door_open"),  # calling in is a visit
    ("Our CRM shows a courtesy call was logged in March.", "keep_door_open"),
    ("以后我会定期给您打电话。", "keep_door_open"),  # after-sale care, not a call-back as the call ends
    ("很多企业一开始也觉得用不上,后来总成本降了。", "make_amends"),  # 不上 is no slip for 补上
    ("那这次我们给您打个六折,算是补偿。", "make_amends"),  # a discount, not amends
    ("Then sign today and I guarantee the lowest price in town.", "make_amends"),
    ("yeah yeah, that's all fixed now, so, Thursday at 10?", "make_amends"),
    ("Fine, then I'll just keep calling until he picks up.", "lifetime_value"),  # pressure, not care
    ("是我们疏忽了,我明天就安排回访。", "lifetime_value"),  # one visit, not service that goes on
    ("Oh no, sorry to hear that. Can I send you our new catalogue?", "empathy"),  # sympathy, not empathy
    ("抱歉打扰。想请您帮个忙:采购这一块是哪位负责?", "apologize_redirect"),  # sorry to disturb, no mix-up
    ("Might you spare me twenty minutes on Wednesday at 11?", "rude"),  # not "spare me your speech"
    ("Unlike some suppliers we'd rather earn your trust first; could I visit Tuesday at 10?", "badmouth_competitor"),
    ("您先别急着挂,就耽误您两分钟。", "argue"),  # holding on, not contradicting
    ("那真是抱歉,我们手上的名单可能不太准确。采购是哪一位负责?", "argue"),  # our list, owned
    ("Yeah, figured. Nobody ever is. Alright, sorry to bother you.", "rude"),  # giving up, not scorn
    ("我们永远讲诚信,质量差的东西我们不卖。", "badmouth_competitor"),  # 永远 and 诚信 are no companies
    ("我们给现有的差旅服务商做补充,主要管紧急改签和海外行程。", "rude"),  # 海外行程 holds no 外行
    ("那必须的,价格谁不在乎啊。下礼拜一下午两点我过去,中不?", "pushy"),  # "of course!", not "you must"
    ("您把他名字和直线电话告诉我呗,完了再麻烦您给我转过去,太感谢您了!", "rude"),  # asked, not ordered
    ("If I were you I'd feel exactly the same. I want to sort this out properly for you.", "blame_customer"),
])
def test_the_library_does_not_read_into_it(catalog, reply, pid):
    assert pid not in catalog.matcher.match(reply).hits()


_SPANS = st.tuples(st.integers(0, 80), st.integers(1, 12)).map(lambda p: Found("t", "w", p[0], p[0] + p[1]))


@given(st.lists(st.lists(_SPANS, min_size=1, max_size=6).map(lambda g: sorted(g, key=lambda f: f.start)),
                min_size=3, max_size=4), st.integers(5, 100))
def test_the_closest_apart_search_finds_what_trying_every_combination_finds(per_group, window):
    """The pruned search of a cue's 3+ groups picks exactly the combination a full scan picks."""
    best = None
    for combo in product(*per_group):
        span = max(f.end for f in combo) - min(f.start for f in combo)
        spans = sorted((f.start, f.end) for f in combo)
        apart = all(prev_end <= start for (_s, prev_end), (start, _e) in pairwise(spans))
        if span <= window and (best is None or span < best[0]) and apart:
            best = (span, combo)
    assert _closest_apart(per_group, window) == best


@pytest.mark.parametrize(("reply", "names"), [
    ("Oh, is it Helix? I heard they've been having problems.", ["helix"]),
    ("We're with Tallis & Co now, and I'll call you on Monday.", ["tallis", "co"]),  # not the day, not "I"
    ("Helix is fine. But Caldera just lost their biggest account.", ["caldera"]),  # a sentence start is no name
    ("有supplier不代表Phase 1就好。", []),  # after Chinese: a term, not a name
    ("I'll be in Derby on Tuesday, and in the West End after, then see Helix.", ["helix"]),  # places are no rivals
    ("Honestly, the Kestrel lot are cowboys.", ["kestrel"]),
])
def test_names_are_capitalised_words_inside_an_english_sentence(reply, names):
    indexed = _Reply(normalise(reply))
    assert [indexed.text[s:e] for s, e in _names(indexed)] == names


@pytest.mark.parametrize(("reply", "names"), [
    ("你们还在用华信的系统吧?宏达那种报价低的也别信。", ["华信", "宏达"]),
    ("我们永远讲诚信。", []),  # everyday words of the same shape
    ("We're with Helix.", []),  # no Chinese: the English finder's job
])
def test_chinese_company_names_have_the_shape_writers_give_them(reply, names):
    indexed = _Reply(normalise(reply))
    assert [indexed.text[s:e] for s, e in _zh_company_names(indexed)] == names

