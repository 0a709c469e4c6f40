from research.corpus import read_corpus, recurring_lines
from research.text import (
    MAX_TEASER_OVERLAP,
    MIN_RECURRING_STORIES,
    MIN_TEASER_BLOCKS,
    clean_article,
    is_headline_like,
    prepare_passages,
)
from tests.synthetic_outlet import BYLINE, STATEMENT, TEASERS, write_outlet_csv


def _seed(seeds_dir, prefix):
    return next(seeds_dir.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_seed_002_related_block_removed_and_continuation_kept(seeds_dir):
    cleaned = clean_article(_seed(seeds_dir, "002"))
    for headline in ["البابا تواضروس الثاني", "حماس تُرحب بإعلان إسبانيا", "السيسي وعلييف",
                     "مستشار الرئيس الفلسطينى"]:
        assert headline not in cleaned.body
    assert "وختم المتحدث الرسمي بأن اللقاء شهد تأكيد الجانبين" in cleaned.body
    assert "ودعم جهود التنمية والإعمار في قطاع غزة" in cleaned.body
    reasons = [r for _, r in cleaned.removed]
    assert reasons.count("related links") == 13  # marker + 12 headlines (one printed twice)
    assert cleaned.title.startswith("الرئيس السيسي يجتمع مع وزير الخارجية الأمريكي")


def test_seed_001_prompts_and_repeated_headline(seeds_dir):
    cleaned = clean_article(_seed(seeds_dir, "001"))
    assert "لم تشترك بعد" not in cleaned.body
    assert "انشئ حساباً" not in cleaned.body
    assert cleaned.title == "السيسي وماتيس يبحثان التعاون العسكري ومكافحة الإرهاب"
    assert cleaned.body.startswith("بحث الرئيس المصري عبد الفتاح السيسي")
    assert "السيسي وماتيس يبحثان" not in cleaned.body


def test_seed_000_inline_marker_and_trailing_block(seeds_dir):
    cleaned = clean_article(_seed(seeds_dir, "000"))
    assert "الرئيس الفرنسي يزور القاهرة" not in cleaned.body
    assert "زيارة مفاجئة لوزير الخارجية" not in cleaned.body
    assert "ومن المقرر أن تتناول المباحثات" in cleaned.body


def test_seed_003_captions_removed(seeds_dir):
    cleaned = clean_article(_seed(seeds_dir, "003"))
    assert "أرشيفية" not in cleaned.body
    assert "ترشيحاتنا" not in cleaned.body
    assert ("الرئيس السيسي ونظيره الأمريكي - أرشيفية", "caption") in cleaned.removed


def test_every_line_is_kept_or_accounted_for(seeds_dir):
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        cleaned = clean_article(text)
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        assert len(cleaned.body.splitlines()) + len(cleaned.removed) == len(lines), path.name


def test_given_title_is_used_and_prose_never_removed():
    text = ("هذه فقرة طويلة من نص المقال تنتهي بنقطة.\nاقرأ أيضاً\nعنوان مقال آخر\n"
            "فقرة ثانية من المقال.")
    cleaned = clean_article(text, title="عنوان")
    assert cleaned.title == "عنوان"
    assert cleaned.body.splitlines() == ["هذه فقرة طويلة من نص المقال تنتهي بنقطة.",
                                          "فقرة ثانية من المقال."]


def test_headline_like():
    assert is_headline_like("السيسي وماتيس يبحثان التعاون العسكري")
    assert not is_headline_like("وأكد الرئيس أهمية التعاون.")


# --- Boilerplate recurring in an outlet, and teasers of other stories -----------------
# Made-up Arabic text (not from any corpus).

BODY = [
    "استقبل الرئيس عبد الفتاح السيسي اليوم رئيس وزراء اليونان في قصر الاتحادية، وبحث الجانبان "
    "سبل تعزيز التعاون في مجالات الطاقة والربط الكهربائي والنقل البحري بين البلدين.",
    "وأكد الرئيس أهمية الإسراع في تنفيذ مشروع الربط الكهربائي عبر البحر المتوسط، بما يجعل مصر "
    "مركزا إقليميا لتصدير الطاقة النظيفة إلى أوروبا.",
    "من جانبه، أشاد رئيس الوزراء اليوناني بمستوى العلاقات الثنائية، مؤكدا حرص أثينا على زيادة "
    "الاستثمارات في الموانئ المصرية خلال المرحلة المقبلة.",
]
GOLD = TEASERS[2]  # gold prices: headline and lead
DERBY = TEASERS[4]  # football: headline and lead
FORECAST = TEASERS[3]  # weather: headline only
CONTACT = "للتواصل مع المحرر أرسل رسالة إلى البريد الإلكتروني للصحيفة."
VERSES = [
    "سلام على أرض الكنانة كلما هبت رياح الدار",
    "بلاد بنى فيها الأوائل مجدهم عبر الأعصار",
    "يفيض بها النيل العظيم على الحقول والأشجار",
    "تظل على مر الزمان منارة لكل الأقطار",
]


def _text(*parts):
    return "\n".join(line for part in parts
                     for line in ([part] if isinstance(part, str) else part) if line)


def test_tail_run_of_one_teaser_block_is_kept_two_are_removed():
    one = clean_article(_text(BODY, GOLD), title="السيسي يستقبل رئيس وزراء اليونان")
    assert one.removed == [] and one.body.endswith(GOLD[1])
    two = clean_article(_text(BODY, GOLD, FORECAST), title="السيسي يستقبل رئيس وزراء اليونان")
    assert two.body.splitlines() == BODY
    assert two.removed == [(GOLD[0], "teaser block"), (GOLD[1], "teaser block"),
                           (FORECAST[0], "teaser block")]
    assert MIN_TEASER_BLOCKS == 2
    three = clean_article(_text(BODY, GOLD, FORECAST, DERBY), min_teaser_blocks=4)
    assert three.removed == []  # a run of 3 blocks, fewer than 4: kept


def test_teaser_block_about_the_article_stays():
    closing = ("مصر واليونان تتفقان على الإسراع في تنفيذ الربط الكهربائي",
               "ووقع الجانبان في ختام اللقاء مذكرة تفاهم لتنفيذ مشروع الربط الكهربائي بين البلدين.")
    cleaned = clean_article(_text(BODY, closing, DERBY), title="السيسي يستقبل رئيس وزراء اليونان")
    assert cleaned.removed == []  # one teaser after a block about the article: no run of two
    assert 0 < MAX_TEASER_OVERLAP < 1


def test_verse_after_prose_is_not_a_teaser_run():
    free_verse = ["على ضفاف النيل تمشي الحكايات القديمة ببطء",
                  "تحمل المراكب أحلام الصيادين نحو الشمال البعيد",
                  "يغني الأطفال للقمر حين يكتمل فوق النخيل"]
    introduced = clean_article(_text(BODY, "وختم الحفل بأبيات قال فيها الشاعر:", free_verse),
                               title="حفل")
    assert introduced.removed == []
    rhyming = clean_article(_text(BODY, VERSES), title="حفل")
    assert rhyming.removed == []
    prose_end = clean_article(_text(BODY[:2], VERSES[:2], BODY[2:]), title="حفل")
    assert prose_end.removed == []  # not at the end of the article


def test_recurring_paragraph_needs_three_stories():
    text = _text(BODY, CONTACT)
    kept = clean_article(text, title="لقاء", recurring={CONTACT: 2}, outlet="nile-news")
    assert kept.removed == []
    removed = clean_article(text, title="لقاء", recurring={CONTACT: 3}, outlet="nile-news")
    assert removed.removed == [(CONTACT, "recurring paragraph (3 stories of nile-news)")]
    assert removed.body.splitlines() == BODY
    assert MIN_RECURRING_STORIES == 3
    assert clean_article(text, title="لقاء", recurring={CONTACT: 3}, min_stories=4).removed == []


def test_recurring_paragraph_in_the_middle_of_the_body_stays():
    statement = STATEMENT
    text = _text(BODY[0], statement, BODY[1:])
    cleaned = clean_article(text, title="لقاء", recurring={statement: 12}, outlet="nile-news")
    assert cleaned.removed == [] and statement in cleaned.body.splitlines()
    # a short headline-like line is boilerplate anywhere
    label = "شاهد الفيديو الكامل للقاء على قناتنا"
    labelled = clean_article(_text(BODY[0], label, BODY[1:]), title="لقاء", recurring={label: 5})
    assert labelled.removed == [(label, "recurring paragraph (5 stories of the corpus)")]


def test_recurring_head_byline_removed_dateline_and_own_paragraph_kept():
    dateline = "القاهرة في 12 مارس 2024"
    own = ("وأضاف المتحدث أن الرئيس السيسي ورئيس وزراء اليونان اتفقا على متابعة تنفيذ مشروع "
           "الربط الكهربائي بصفة دورية.")
    text = _text(BYLINE, dateline, BODY, own, CONTACT)
    cleaned = clean_article(text, title="لقاء", recurring={BYLINE: 9, dateline: 4, own: 3,
                                                           CONTACT: 7}, outlet="nile-news")
    assert [line for line, _ in cleaned.removed] == [BYLINE, CONTACT]
    assert cleaned.body.splitlines() == [dateline, *BODY, own]


def test_seed_002_teasers_without_the_marker(seeds_dir):
    raw = [ln for ln in _seed(seeds_dir, "002").splitlines() if ln.strip()]
    marker = raw.index("اقرأ أيضاً")
    teasers = raw[marker + 1:marker + 13]
    cleaned = clean_article("\n".join(raw[:marker] + teasers))  # no marker, no continuation
    assert cleaned.body.splitlines() == raw[1:marker]
    assert {why for _, why in cleaned.removed} == {"title", "teaser block", "repeated line"}
    assert [line for line, _ in cleaned.removed[1:]] == teasers


def test_synthetic_outlet_teasers_never_reach_passages(tmp_path):
    rows = write_outlet_csv(tmp_path / "outlet.csv")
    corpus = read_corpus(tmp_path / "outlet.csv")
    recurring = recurring_lines(corpus.articles, corpus.paragraphs)
    prepared = prepare_passages(corpus.articles, recurring=recurring)
    removed = prepared.removed
    assert (removed["reason"] != "").all()
    bodies = prepared.articles.set_index("article_id")["body"]
    for row in rows:
        body = bodies[row["id"]].splitlines()
        assert body == row["body"].splitlines(), row["id"]  # no body paragraph lost
        passages = "\n".join(prepared.passages.loc[prepared.passages["article_id"] == row["id"],
                                                   "text"])
        gone = removed[removed["article_id"] == row["id"]]
        for line in row["teasers"].splitlines():
            assert line not in passages, (row["id"], line)
            assert line in set(gone["line"]), (row["id"], line)
        if row["text"].startswith(BYLINE):
            assert BYLINE in set(gone["line"])
    kinds = set(removed["reason"].str.replace(r" \(.*", "", regex=True))
    assert kinds == {"recurring paragraph", "teaser block"}
    assert removed.loc[removed["article_id"] == "river-00", "reason"].eq("teaser block").all()
    assert STATEMENT in "\n".join(prepared.passages["text"])  # quoted in 3 bodies: kept
    # without the outlet's evidence, the teaser rule alone removes almost all teasers
    alone = prepare_passages(corpus.articles)
    missed = [line for row in rows for line in row["teasers"].splitlines()
              if line in alone.articles.set_index("article_id")["body"][row["id"]]]
    assert len(missed) <= 4
