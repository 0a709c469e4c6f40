from research.text import clean_article, is_headline_like


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
