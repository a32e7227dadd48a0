"""Wire datelines in other scripts, end to end: a small article per house form through `run`
(what `cleaner clean` calls), checking the parsed dateline and the first words of the body.

The datelines are the agencies' printed forms (see rules/datelines.toml); the articles around
them are short made-up stories in the same language. Chinese and Japanese glue the first
sentence to the dateline, so the body must start right after it with nothing left over.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.run.engine import RunOptions
from cleaner.run.page import Cleaner
from cleaner.run.runner import run
from tests.conftest import read_jsonl

# name: (headline, first paragraph, expected dateline, first words of the body)
ARTICLES: dict[str, tuple[str, str, dict[str, str | None], str]] = {
    "zh_xinhua": (
        "国务院常务会议部署稳就业举措",
        "新华社北京12月9日电（记者 张晓明）国务院总理9日主持召开国务院常务会议，部署进一步稳就业的举措，"
        "决定延续实施部分阶段性政策。",
        {"raw": "新华社北京12月9日电（记者 张晓明）", "place": "北京", "date": "--12-09", "agency": "新华社"},
        "国务院总理9日主持召开",
    ),
    "zh_chinanews": (
        "北京启动冬季供暖保障工作",
        "中新网北京12月9日电 (记者 杜燕)北京市城市管理委员会9日表示，今年冬季供暖保障工作已全面启动，"
        "全市供热系统运行平稳。",
        {"raw": "中新网北京12月9日电 (记者 杜燕)", "place": "北京", "date": "--12-09", "agency": "中新网"},
        "北京市城市管理委员会9日表示",
    ),
    "zh_huanqiu": (
        "英国提高恐怖威胁级别",
        "【环球网报道 记者 朱佩】英国首相日前称，由于曼彻斯特恐袭案，该国恐怖威胁级别从“严重”提高至“危急”。"
        "这意味着可能派遣军队保障安全。",
        {"raw": "【环球网报道 记者 朱佩】", "place": None, "date": None, "agency": "环球网"},
        "英国首相日前称",
    ),
    "ja_kyodo": (
        "中国外務省、米の五輪ボイコット検討に反発",
        "【北京共同】中国外務省の報道官は7日の記者会見で、米政権が北京冬季五輪の共同ボイコットを"
        "選択肢としたことに「国際社会は受け入れない」と反発した。",
        {"raw": "【北京共同】", "place": "北京", "date": None, "agency": "共同"},
        "中国外務省の報道官は",
    ),
    "ja_jiji": (
        "上川外相の評価高まる",
        "\u3000【ワシントン時事】支持率低迷に苦しむ岸田内閣で、昨年９月に就任した上川陽子外相の評価が"
        "徐々に高まっている。精力的な外国訪問を通じて存在感をアピールした。",
        {"raw": "【ワシントン時事】", "place": "ワシントン", "date": None, "agency": "時事"},
        "支持率低迷に苦しむ",
    ),
    "ja_xinhua": (
        "中国、新規着工プロジェクトが増加",
        "【新華社北京４月２６日】中国国家発展改革委員会は２５日、第１四半期の新規着工プロジェクト数が"
        "前年同期に比べ１万２千件増えたと発表した。",
        {"raw": "【新華社北京４月２６日】", "place": "北京", "date": "--04-26", "agency": "新華社"},
        "中国国家発展改革委員会は",
    ),
    "ko_yonhap": (
        "삼성전자, 차세대 메모리 기술 공개",
        "(서울=연합뉴스) 이도흔 기자 = 삼성전자가 차세대 메모리 기술을 공개했다고 9일 밝혔다. "
        "회사는 내년 하반기 양산을 목표로 하고 있다.",
        {"raw": "(서울=연합뉴스) 이도흔 기자 =", "place": "서울", "date": None, "agency": "연합뉴스"},
        "삼성전자가 차세대 메모리",
    ),
    "ko_newsis": (
        "집값 상승 전망 역대 최고치",
        "[서울=뉴시스] 조현아 기자 = 집값 상승 전망이 더 굳건해졌다. 11월 소비자의 주택가격전망 지수가 "
        "역대 최고치를 기록한 것으로 나타났다.",
        {"raw": "[서울=뉴시스] 조현아 기자 =", "place": "서울", "date": None, "agency": "뉴시스"},
        "집값 상승 전망이",
    ),
    "ar_reuters": (
        "الرئيس الفلبيني يدين تفجيرا مميتا في الجنوب",
        "مانيلا، 3 ديسمبر (رويترز) - أدان الرئيس الفلبيني تفجيرا مميتا وقع يوم الأحد، محملا الإرهابيين "
        "الأجانب المسؤولية، فيما عززت الشرطة والجيش الأمن في جنوب البلاد.",
        {"raw": "مانيلا، 3 ديسمبر (رويترز) -", "place": "مانيلا", "date": "--12-03", "agency": "رويترز"},
        "أدان الرئيس الفلبيني",
    ),
    "ar_mena": (
        "وزير الخارجية يؤكد أهمية التعاون الإقليمي",
        "القاهرة في 15 سبتمبر /أ ش أ/ أكد وزير الخارجية خلال اجتماعه اليوم مع نظيره الأردني أهمية تعزيز "
        "التعاون الإقليمي في مختلف المجالات.",
        {"raw": "القاهرة في 15 سبتمبر /أ ش أ/", "place": "القاهرة", "date": "--09-15", "agency": "أ ش أ"},
        "أكد وزير الخارجية",
    ),
    "hi_bhasha": (
        "सरकार ने नई रोजगार योजना की घोषणा की",
        "नयी दिल्ली, नौ दिसंबर (भाषा) केंद्र सरकार ने सोमवार को युवाओं के लिए एक नई रोजगार योजना की "
        "घोषणा की। इस योजना के तहत अगले पांच वर्षों में दस लाख युवाओं को प्रशिक्षण दिया जाएगा।",
        {"raw": "नयी दिल्ली, नौ दिसंबर (भाषा)", "place": "नयी दिल्ली", "date": "--12-09", "agency": "भाषा"},
        "केंद्र सरकार ने सोमवार",
    ),
    "hi_ians": (
        "दिल्ली में घना कोहरा",
        "नई दिल्ली, ९ दिसम्बर (आईएएनएस)। दिल्ली में आज सुबह घना कोहरा छाया रहा और कई उड़ानें देरी से "
        "चलीं, जबकि दृश्यता पचास मीटर से भी कम रह गई।",
        {"raw": "नई दिल्ली, ९ दिसम्बर (आईएएनएस)।", "place": "नई दिल्ली", "date": "--12-09", "agency": "आईएएनएस"},
        "दिल्ली में आज सुबह",
    ),
    "hi_varta": (
        # Short paragraphs ending in the danda: they read as prose only when the danda ends a sentence.
        "प्रधानमंत्री ने बैठक की अध्यक्षता की",
        "नयी दिल्ली 12 जनवरी (वार्ता) प्रधानमंत्री ने आज मंत्रिमंडल की बैठक की अध्यक्षता की।",
        {"raw": "नयी दिल्ली 12 जनवरी (वार्ता)", "place": "नयी दिल्ली", "date": "--01-12", "agency": "वार्ता"},
        "प्रधानमंत्री ने आज",
    ),
    "el_apempe": (
        "Νέα μέτρα στήριξης ανακοίνωσε η κυβέρνηση",
        "ΑΘΗΝΑ (ΑΠΕ-ΜΠΕ) - Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα στήριξης για τα νοικοκυριά και τις "
        "μικρές επιχειρήσεις, με συνολικό προϋπολογισμό 500 εκατομμυρίων ευρώ.",
        # Title case of the capitals (which print no accents): Αθηνα, not Αθήνα.
        {"raw": "ΑΘΗΝΑ (ΑΠΕ-ΜΠΕ) -", "place": "Αθηνα", "date": None, "agency": "ΑΠΕ-ΜΠΕ"},
        "Η κυβέρνηση ανακοίνωσε",
    ),
    "el_cna": (
        "Εγκρίθηκε ο προϋπολογισμός",
        "ΛΕΥΚΩΣΙΑ, 9 Δεκεμβρίου (ΚΥΠΕ) - Το Υπουργικό Συμβούλιο ενέκρινε σήμερα τον προϋπολογισμό, ο "
        "οποίος θα κατατεθεί στη Βουλή την επόμενη εβδομάδα.",
        {"raw": "ΛΕΥΚΩΣΙΑ, 9 Δεκεμβρίου (ΚΥΠΕ) -", "place": "Λευκωσια", "date": "--12-09", "agency": "ΚΥΠΕ"},
        "Το Υπουργικό Συμβούλιο",
    ),
    "uk_ukrinform": (
        "Президент провів зустріч з прем'єр-міністром",
        "КИЇВ, 9 грудня. /Укрінформ/. Президент України провів зустріч з прем'єр-міністром, на якій "
        "обговорили підготовку до зимового періоду та захист енергетичної інфраструктури.",
        {"raw": "КИЇВ, 9 грудня. /Укрінформ/.", "place": "Київ", "date": "--12-09", "agency": "Укрінформ"},
        "Президент України провів",
    ),
    "uk_unn": (
        "На Київщині діє заборона на відвідання кладовищ",
        "КИЇВ. 24 квітня. УНН. На Київщині з огляду на небезпеку розповсюдження хвороби продовжує діяти "
        "заборона на відвідання кладовищ, повідомив голова обласної адміністрації.",
        {"raw": "КИЇВ. 24 квітня. УНН.", "place": "Київ", "date": "--04-24", "agency": "УНН"},
        "На Київщині з огляду",
    ),
    "uk_interfax": (
        "Рада ухвалила держбюджет",
        "Київ. 9 грудня. ІНТЕРФАКС-УКРАЇНА - Верховна Рада ухвалила державний бюджет на наступний рік у "
        "другому читанні, за рішення проголосували 257 народних депутатів.",
        {
            "raw": "Київ. 9 грудня. ІНТЕРФАКС-УКРАЇНА -",
            "place": "Київ",
            "date": "--12-09",
            "agency": "ІНТЕРФАКС-УКРАЇНА",
        },
        "Верховна Рада ухвалила",
    ),
}

# Bodies that merely start with a place and a date, one per script: no dateline, body untouched.
NOT_DATELINES = {
    "zh_plain": "北京12月9日，国务院新闻办公室举行新闻发布会，介绍今年经济运行情况和明年的工作安排。",
    "ja_plain": "東京12月9日の株式市場は反落した。日経平均株価は前日比で三百円以上値下がりした。",
    "ko_plain": "서울 12월 9일 오후 시민들이 광장에 모여 새해 예산안 처리를 촉구하는 집회를 열었다.",
    "ar_plain": "القاهرة في 15 سبتمبر شهدت المدينة أمطارا غزيرة أدت إلى تعطل حركة المرور في عدة شوارع رئيسية.",
    "hi_plain": "नयी दिल्ली, नौ दिसंबर को संसद का शीतकालीन सत्र शुरू हुआ और पहले दिन कई विधेयक पेश किए गए।",
    "el_plain": "ΑΘΗΝΑ, 9 Δεκεμβρίου 2024 Η κυβέρνηση ανακοίνωσε νέα μέτρα για τη στέγαση των νέων ζευγαριών.",
    "uk_plain": "КИЇВ, 9 грудня. Президент України провів зустріч з прем'єр-міністром щодо енергетики.",
}

# Two more paragraphs per language, so that the page reads as an article.
MORE = {
    "zh": (
        "会议指出，就业是最基本的民生，各地区各部门要认真落实决策部署。",
        "会议要求，要强化政策支持，多渠道促进就业。",
    ),
    "ja": (
        "報道官は、スポーツを政治化することは五輪憲章の精神に反すると強調した。",
        "関係国は対応を協議している。",
    ),
    "ko": (
        "회사는 내년 하반기 양산을 목표로 하고 있다고 이날 설명했다.",
        "업계는 가격에 영향을 줄 것으로 본다.",
    ),
    "ar": (
        "وقال المسؤول في بيان إن الحكومة لن تتسامح مع أي عمل يستهدف المدنيين.",
        "وأضاف أن التحقيقات مستمرة.",
    ),
    "hi": ("मंत्री ने संवाददाताओं से कहा कि योजना का लाभ सभी राज्यों को मिलेगा।", "उन्होंने कहा कि बजट तय है।"),
    "el": (
        "Ο κυβερνητικός εκπρόσωπος δήλωσε ότι τα μέτρα θα εφαρμοστούν άμεσα.",
        "Η αντιπολίτευση διαφώνησε.",
    ),
    "uk": (
        "Сторони домовилися про додаткове фінансування ремонту енергетичних об'єктів.",
        "Уряд подасть план.",
    ),
}


def _page(headline: str, first: str, lang: str) -> str:
    second, third = MORE[lang]
    return "\n\n".join(["Новини" if lang == "uk" else "News", headline, first, second, third]) + "\n"


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory: pytest.TempPathFactory, cleaner: Cleaner) -> dict[str, dict]:
    pages = tmp_path_factory.mktemp("scripts")
    for name, (headline, first, _, _) in ARTICLES.items():
        (pages / f"{name}.txt").write_text(_page(headline, first, name[:2]), encoding="utf-8")
    for name, first in NOT_DATELINES.items():
        (pages / f"{name}.txt").write_text(
            _page("Заголовок" if name[:2] == "uk" else "Title", first, name[:2]), encoding="utf-8"
        )
    out = tmp_path_factory.mktemp("out")
    run([pages], out, cleaner, RunOptions(workers=1))
    assert read_jsonl(out / "rejects.jsonl") == []
    return {Path(r["source"]["path"]).stem: r for r in read_jsonl(out / "corpus.jsonl")}


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_dateline_comes_off_the_body(cleaned: dict[str, dict], name: str) -> None:
    _, _, want, body_start = ARTICLES[name]
    record = cleaned[name]
    got = record["dateline"]
    assert got is not None, record["text"][:80]
    assert {k: got[k] for k in want} == want
    assert got["country"] is None
    assert record["text"].startswith(body_start), record["text"][:80]
    assert want["raw"] not in record["text"]  # nothing of the dateline (or a reporter) left in the body


@pytest.mark.parametrize("name", sorted(NOT_DATELINES))
def test_place_and_date_opening_a_body_is_not_a_dateline(cleaned: dict[str, dict], name: str) -> None:
    record = cleaned[name]
    assert record["dateline"] is None
    assert record["text"].startswith(NOT_DATELINES[name])
