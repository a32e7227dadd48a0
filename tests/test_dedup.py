"""Exact and near duplicates, the kept copy, and independence from input order."""

from __future__ import annotations

import json
import random
import re
from typing import Any

import numpy as np
import pytest

from cleaner.corpus import dedup as D
from cleaner.corpus import minhash as M
from cleaner.corpus.dedup import DedupParams, body_key, dedup, lsh_curve, normalise_body

# Two agencies at one press conference: same topic, names and the same quoted sentence,
# written in their own words.  They must stay two articles.
WIRE_A = [
    "MOSCOW, December 3. /TASS/. Russian Foreign Minister Sergei Lavrov said on Saturday that Moscow "
    "was ready to discuss a plan for the withdrawal of militants from eastern Aleppo with Washington.",
    "\u201cWe are ready to send our military experts and diplomats to Geneva to work out the details,\u201d "
    "Lavrov told reporters after talks with his Turkish counterpart in Alanya.",
    "According to the minister, the American proposals that were handed over earlier this week "
    "largely match the Russian approach to ending the fighting in the city.",
    "He added that the previous attempts to agree on humanitarian pauses had been used by the armed "
    "groups to regroup and receive new supplies of weapons and ammunition.",
    "The talks in Geneva could start as early as next week, the minister said, adding that the "
    "schedule would depend on how quickly the American side responds.",
    "Syrian government forces have taken back more than half of the rebel-held districts of eastern "
    "Aleppo over the past two weeks, according to the Russian Defence Ministry.",
]
WIRE_B = [
    "ALANYA, Turkey (Reuters) - Russia is prepared to hold talks with the United States on pulling "
    "rebel fighters out of besieged east Aleppo, Foreign Minister Sergei Lavrov said on Saturday.",
    "\u201cWe are ready to send our military experts and diplomats to Geneva to work out the details,\u201d "
    "Lavrov said at a news conference in the Turkish resort town.",
    "Washington has yet to confirm that such talks would take place, and a State Department "
    "spokesman declined to comment on the timing of any meeting.",
    "Lavrov accused rebel groups of exploiting earlier ceasefires to rearm, a charge the opposition "
    "has repeatedly rejected as an excuse for continued bombing of civilian areas.",
    "The United Nations says tens of thousands of people have fled the eastern districts of the city "
    "in recent days as the army and its allies pushed deeper into the enclave.",
    "Turkish Foreign Minister Mevlut Cavusoglu, who hosted the talks, said Ankara would keep working "
    "with Moscow to secure a ceasefire and the delivery of aid.",
]


def rec(rid: str, paras: list[str] | str, **kw: Any) -> dict[str, Any]:
    text = paras if isinstance(paras, str) else "\n\n".join(paras)
    r: dict[str, Any] = {
        "id": rid,
        "text": text,
        "published": None,
        "outlet": None,
        "dateline": None,
        "site": None,
        "source": {"path": f"pages/{rid}.txt", "segment": 0},
    }
    r.update(kw)
    return r


def edited(paras: list[str], every: int = 40) -> list[str]:
    """Change about one word in `every` (2.5% at 40), the way copy editors do."""
    out, n = [], 0
    for p in paras:
        words = p.split(" ")
        for i in range(len(words)):
            n += 1
            if n % every == 0:
                words[i] = words[i][::-1]
        out.append(" ".join(words))
    return out


def straightened(paras: list[str]) -> list[str]:
    return [p.replace("\u201c", '"').replace("\u201d", '"').replace(". ", ".   ") for p in paras]


def links(res: D.DedupResult) -> dict[str, tuple[str, float, str]]:
    return {d["id"]: (d["duplicate_of"], d["similarity"], d["reason"]) for d in res.duplicates}


def test_exact_copy_despite_quotes_case_and_spacing() -> None:
    copy = [p.upper() if i == 0 else p for i, p in enumerate(straightened(WIRE_A))]
    res = dedup([rec("a", WIRE_A), rec("b", copy)])
    assert [r["id"] for r in res.kept] == ["a"]
    assert links(res) == {"b": ("a", 1.0, "exact")}
    assert res.counts["exact"] == 1 and res.counts["near"] == 0


def test_near_copy_edited_and_trimmed() -> None:
    res = dedup(
        [rec("orig", WIRE_A, published="2016-12-03"), rec("ed", edited(WIRE_A)), rec("trim", WIRE_A[:-1])]
    )
    found = links(res)
    assert set(found) == {"ed", "trim"}
    for kept_id, sim, reason in found.values():
        assert kept_id == "orig" and reason == "near"
        assert 0.5 <= sim < 1.0
    assert res.counts == {**res.counts, "exact": 0, "near": 2, "clusters": 1}


def test_two_agencies_on_one_press_conference_stay_two() -> None:
    # they share a quote, names and places: not copies
    records = [rec("tass", WIRE_A), rec("reuters", WIRE_B)]
    sets = M.shingle_sets(records, np.array([0, 1]), DedupParams().shingle)
    assert 0.02 < M.jaccard(sets[0], sets[1]) < 0.2
    res = dedup(records, params=DedupParams(threshold=0.3))
    assert res.duplicates == []
    assert sorted(r["id"] for r in res.kept) == ["reuters", "tass"]


def test_unrelated_short_texts_are_not_merged_but_identical_ones_are() -> None:
    res = dedup([rec("x", "Photo: Reuters"), rec("y", "Photo: AP"), rec("z", "photo:  reuters")])
    assert links(res) == {"z": ("x", 1.0, "exact")}


def test_empty_texts_are_never_merged() -> None:
    records = [rec("e1", ""), rec("e2", ""), rec("e3", "  \n\n "), rec("full", WIRE_A)]
    res = dedup(records)
    assert res.duplicates == []
    assert [r["id"] for r in res.kept] == ["e1", "e2", "e3", "full"]
    assert all(r["copies"] == [] for r in res.kept)
    assert res.counts["empty"] == 3


def test_punctuation_only_body_is_kept_alone() -> None:
    res = dedup([rec("p1", "* * *"), rec("p2", "- - -"), rec("a", WIRE_A)])
    assert res.duplicates == []


# ------------------------------------------------------------------------- the kept copy


def cluster_kept(records: list[dict[str, Any]]) -> str:
    res = dedup(records)
    assert len(res.kept) == 1, links(res)
    return str(res.kept[0]["id"])


def test_kept_is_earliest_published_and_none_sorts_last() -> None:
    assert (
        cluster_kept(
            [
                rec("late", WIRE_A, published="2016-12-04"),
                rec(
                    "undated",
                    WIRE_A + ["An extra closing paragraph makes this copy the longest of the three."],
                ),
                rec("early", WIRE_A[:-1], published="2016-12-03"),
            ]
        )
        == "early"
    )
    assert (
        cluster_kept([rec("undated", WIRE_A), rec("dated", WIRE_A[:-1], published="2020-01-01")]) == "dated"
    )


def test_kept_is_the_wire_originator_on_the_same_day() -> None:
    tass_line = {
        "raw": "MOSCOW, December 3. /TASS/",
        "place": "Moscow",
        "country": "RU",
        "date": "--12-03",
        "agency": "TASS",
    }
    origin = rec("zz-tass", WIRE_A[:-1], published="2016-12-03", outlet="TASS", dateline=tass_line)
    repub = rec("aa-repub", WIRE_A, published="2016-12-03", outlet="Sputnik", dateline=tass_line)
    assert cluster_kept([repub, origin]) == "zz-tass"
    # a site name also identifies the agency's own copy
    by_site = rec("zz-site", WIRE_A[:-1], published="2016-12-03", site="tass.com", dateline=tass_line)
    assert cluster_kept([repub, by_site]) == "zz-site"
    assert D.is_originator(by_site) and not D.is_originator(repub)


def test_kept_is_the_longest_then_the_smallest_id() -> None:
    longer = WIRE_A + ["The ministry said the next round of consultations would be announced later."]
    assert (
        cluster_kept([rec("a", WIRE_A, published="2016-12-03"), rec("b", longer, published="2016-12-03")])
        == "b"
    )
    assert cluster_kept([rec("b2", WIRE_A), rec("a2", straightened(WIRE_A)), rec("c2", WIRE_A)]) == "a2"


# ------------------------------------------------------------------------- output shape


def test_duplicate_and_kept_fields() -> None:
    orig = rec("orig", WIRE_A, published="2016-12-03", url="https://example.org/a", flags=["x"])
    res = dedup([rec("ed", edited(WIRE_A), published="2016-12-05"), orig, rec("ex", straightened(WIRE_A))])
    kept = res.kept[0]
    assert kept["id"] == "orig" and kept["url"] == "https://example.org/a" and kept["flags"] == ["x"]
    by_id = {c["id"]: c for c in kept["copies"]}
    assert set(by_id) == {"ed", "ex"}
    assert by_id["ex"] == {"id": "ex", "path": "pages/ex.txt", "similarity": 1.0, "reason": "exact"}
    assert by_id["ed"]["reason"] == "near" and by_id["ed"]["path"] == "pages/ed.txt"
    dup = {d["id"]: d for d in res.duplicates}
    assert [d["id"] for d in res.duplicates] == ["ed", "ex"]  # input order
    ed = dup["ed"]
    assert ed["duplicate_of"] == "orig" and ed["reason"] == "near"
    assert ed["text"] == "\n\n".join(edited(WIRE_A)) and ed["published"] == "2016-12-05"
    assert isinstance(ed["similarity"], float) and ed["similarity"] == round(ed["similarity"], 4)
    assert by_id["ed"]["similarity"] == ed["similarity"]
    assert 0.5 <= ed["similarity"] < 1.0
    json.dumps(res.kept + res.duplicates)  # plain JSON types only


def test_input_records_are_not_changed() -> None:
    records = [rec("a", WIRE_A), rec("b", WIRE_A)]
    before = json.dumps(records, sort_keys=True)
    dedup(records)
    assert json.dumps(records, sort_keys=True) == before


def test_keep_duplicates_marks_copies_in_place() -> None:
    records = [rec("ed", edited(WIRE_A)), rec("other", WIRE_B), rec("orig", WIRE_A, published="2016-12-03")]
    res = dedup(records, keep_duplicates=True)
    assert [r["id"] for r in res.kept] == ["ed", "other", "orig"]
    assert res.duplicates == [res.kept[0]] and res.duplicates[0] is res.kept[0]
    assert dedup(records, params=DedupParams(keep_duplicates=True)).kept == res.kept
    ed, other, orig = res.kept
    assert ed["duplicate_of"] == "orig" and ed["reason"] == "near" and 0.5 <= ed["similarity"] < 1
    assert "duplicate_of" not in other and other["copies"] == []
    assert [c["id"] for c in orig["copies"]] == ["ed"]
    assert res.counts["near"] == 1


# ------------------------------------------------------------------------- order independence


def corpus(seed: int = 3) -> list[dict[str, Any]]:
    """Distinct articles of pseudo-words, a third of them with exact, edited and trimmed copies."""
    rng = random.Random(seed)
    vocab = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
        for _ in range(3000)
    ]
    out: list[dict[str, Any]] = []
    for s in range(45):
        paras = [" ".join(rng.choices(vocab, k=rng.randint(15, 40))) + "." for _ in range(rng.randint(4, 8))]
        day = f"2016-12-{rng.randint(1, 9):02d}"
        out.append(rec(f"{s:02d}-o", paras, published=day if s % 4 else None))
        if s % 3 == 0:
            out.append(rec(f"{s:02d}-x", straightened(paras), published=day))
            out.append(rec(f"{s:02d}-e", edited(paras), published=day.replace("2016", "2017"), outlet="X"))
            out.append(rec(f"{s:02d}-t", paras[:-1], published=None))
    out += [rec("empty-1", ""), rec("empty-2", "")]
    return out


def test_result_does_not_depend_on_input_order() -> None:
    base = corpus()
    ref = dedup(base)
    assert ref.counts["exact"] == 15 and ref.counts["near"] == 30
    for seed in range(4):
        shuffled = base[:]
        random.Random(seed).shuffle(shuffled)
        res = dedup(shuffled)
        assert links(res) == links(ref)
        assert {r["id"] for r in res.kept} == {r["id"] for r in ref.kept}
        assert [r["id"] for r in res.kept] == [r["id"] for r in shuffled if r["id"] not in links(res)]
        assert {r["id"]: r["copies"] for r in res.kept} == {r["id"]: r["copies"] for r in ref.kept}
        assert res.counts == ref.counts


def test_a_story_syndicated_many_times_is_one_cluster() -> None:
    records = [rec(f"s{i:03d}", edited(WIRE_A, every=30 + i)) for i in range(60)] + [rec("b", WIRE_B)]
    res = dedup(records)
    assert len(res.kept) == 2 and res.counts["clusters"] == 1


# ------------------------------------------------------------------------- the machinery


def test_long_body_uses_blocked_minhash_and_still_matches() -> None:
    rng = random.Random(5)
    words = ["w" + str(rng.randint(0, 10**6)) for _ in range(3 * M._MINHASH_CHUNK)]
    paras = [" ".join(words[i : i + 100]) for i in range(0, len(words), 100)]
    res = dedup([rec("long", paras), rec("long-ed", edited(paras)), rec("other", WIRE_A)])
    assert links(res) == {"long-ed": ("long", links(res)["long-ed"][1], "near")}


def test_minhash_equals_naive_min_over_shingles() -> None:
    rng = np.random.default_rng(0)
    sizes = [1, 5, 0, M._MINHASH_CHUNK - 3, 4, M._MINHASH_CHUNK + 17, 2]
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    x = rng.integers(0, 1 << 32, size=int(offsets[-1]), dtype=np.uint64)
    a = rng.integers(1, 1 << 63, size=16, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 1 << 63, size=16, dtype=np.uint64)
    sig = M.minhash(x, offsets, a, b)
    rows = [i for i, n in enumerate(sizes) if n]
    assert sig.shape == (len(rows), 16)
    for row, i in enumerate(rows):
        seg = x[offsets[i] : offsets[i + 1]]
        naive = ((seg[:, None] * a[None, :] + b[None, :]).min(axis=0) >> np.uint64(32)).astype(np.uint32)
        assert (sig[row] == naive).all()


def test_signature_agreement_estimates_jaccard() -> None:
    params = DedupParams()
    records = [rec("a", WIRE_A), rec("e", edited(WIRE_A, every=8))]
    _, _, sig, _ = M.prepare(records, params)
    sets = M.shingle_sets(records, np.array([0, 1]), params.shingle)
    exact = M.jaccard(sets[0], sets[1])
    estimate = float((sig[0] == sig[1]).mean())
    assert 0.2 < exact < 0.8 and abs(estimate - exact) < 0.15


def test_batched_keys_match_normalise_body() -> None:
    rng = random.Random(2)
    alphabet = [
        "a",
        "B",
        " ",
        "\n",
        "\t",
        "\u00a0",
        "\u2028",
        "\u00e9",
        "\u2019",
        "\u201c",
        "\u0085",
        "\u2014",
        "\u00df",
        "\u0130",
        "\ufb01",
        "\u3000",
        ".",
        "7",
    ]
    texts = ["", "  ", " a\u2028b\u00a0 c "] + [
        "".join(rng.choices(alphabet, k=rng.randint(0, 30))) for _ in range(400)
    ]
    keys, lengths, _, _ = M.features([D._prenormalise(t) for t in texts], 3)
    for t, k, n in zip(texts, keys, lengths.tolist(), strict=True):
        assert k == body_key(t) and n == len(normalise_body(t).encode("utf-8")), repr(t)


def test_normalise_body_folds_typography() -> None:
    assert normalise_body("  \u201cHello\u201d \u2014 it\u2019s  ME\n\nagain ") == '"hello" - it\'s me again'
    assert re.fullmatch(r"\S+( \S+)*", normalise_body("a \n\n b\u2003c"))


def test_lsh_curve_and_params() -> None:
    assert lsh_curve(14, 8, [0.8])[0] == pytest.approx(0.924, abs=0.001)
    p = DedupParams()
    assert lsh_curve(p.bands, p.rows, [p.threshold])[0] > 0.85
    with pytest.raises(ValueError):
        DedupParams(bands=40, rows=4, num_perm=128)


# ------------------------------------------------------------------------- the plain-Python path


def _random_corpus(seed: int) -> list[dict[str, Any]]:
    """Articles, their edited and trimmed copies, exact copies, short, empty, punctuation-only
    and non-Latin bodies, in random order: every branch of the search has work."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(300)] + ["Über", "naïve", "Москва", "東京都", "l'état", "co-op", "3.5%"]
    records = []
    for k in range(12):
        paras = [" ".join(rng.choices(vocab, k=rng.randint(5, 60))) for _ in range(rng.randint(1, 6))]
        records.append(rec(f"a{k}", paras, published=rng.choice([None, "2016-12-03", "2016-12-04"])))
        for c in range(rng.randint(0, 3)):
            copy = edited(paras, every=rng.choice([3, 8, 20, 40]))
            if rng.random() < 0.3:
                copy = copy[: max(1, len(copy) - 1)]
            records.append(rec(f"a{k}c{c}", copy, outlet=rng.choice([None, "TASS"])))
        if rng.random() < 0.3:
            records.append(rec(f"a{k}x", [p.upper() for p in paras]))
    records += [
        rec("e", ""),
        rec("p", "* * *"),
        rec("s1", "Photo: AP"),
        rec("s2", "photo:  ap"),
        rec("t", "一"),
    ]
    rng.shuffle(records)
    return records


@pytest.mark.parametrize("seed", range(6))
def test_the_plain_python_path_decides_what_numpy_decides(seed: int, monkeypatch: Any) -> None:
    records = _random_corpus(seed)
    for params in (DedupParams(), DedupParams(shingle=1, threshold=0.3), DedupParams(bands=16, rows=8)):
        monkeypatch.setattr(D, "SMALL_CORPUS_CHARS", -1)
        vectorised = dedup(records, params=params)
        monkeypatch.setattr(D, "SMALL_CORPUS_CHARS", 10**9)
        plain = dedup(records, params=params)
        assert plain.counts["candidate_pairs"] > 0
        assert plain == vectorised


def test_the_plain_python_hashes_are_numpys() -> None:
    from cleaner.corpus import minhash_small as S

    a, b = M.permutations(DedupParams())
    assert list(S.A) == a.tolist() and list(S.B) == b.tolist() and S.fits(DedupParams())
    assert not S.fits(DedupParams(seed=2)) and not S.fits(DedupParams(num_perm=64, bands=16))
    texts = [D._prenormalise(r["text"]) for r in _random_corpus(9)] + ["x" * 5000, "é" * 700 + " a b"]
    for k in (1, 3, 5):
        keys, lengths, sh, offsets = M.features(texts, k)
        for i, text in enumerate(texts):
            key, length, shingles = S.features(text, k)
            assert (key, length) == (keys[i], int(lengths[i]))
            assert shingles == sh[offsets[i] : offsets[i + 1]].tolist()
    params = DedupParams()
    records = [rec("a", WIRE_A), rec("b", WIRE_B)]
    _, _, sig, _ = M.prepare(records, params)
    for i, r in enumerate(records):
        plain = S.signature(S.features(D._prenormalise(r["text"]), params.shingle)[2])
        assert plain == sig[i].tolist()
        assert S.band_keys(plain, 32, 4) == M.band_keys(sig[i : i + 1], 32, 4)[0].tolist()


def test_a_one_page_run_needs_no_numpy() -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom cleaner.corpus.dedup import dedup\n"
        "r = dedup([{'id': 'a', 'text': 'One story of a few words.'}, {'id': 'b', 'text': 'one story of a FEW words.'}])\n"
        "assert [d['id'] for d in r.duplicates] == ['b']\nassert 'numpy' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
