"""Dedup's hashing in plain Python, for a small corpus: the same exact keys, shingle hashes,
MinHash signatures, LSH band keys and candidate pairs as cleaner.corpus.minhash computes with
numpy (tests/test_dedup.py compares the two), so the output does not depend on the path.

Why: importing numpy costs 0.1-0.2 s, more than a one-page run's whole cleaning; hashing a
few pages here costs a few milliseconds (MinHash's 128 products a shingle are the bulk, and
are only computed when two records could be copies). cleaner.corpus.dedup.small_corpus
says which path a corpus takes.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Sequence
from operator import mul
from typing import TYPE_CHECKING

import xxhash

from cleaner.corpus.bodies import MIX1 as _MIX1
from cleaner.corpus.bodies import MIX2 as _MIX2
from cleaner.corpus.bodies import SHINGLE_MUL as _SHINGLE_MUL
from cleaner.corpus.bodies import TOKEN_BASE as _BASE

if TYPE_CHECKING:
    from cleaner.corpus.bodies import DedupParams

_M64 = (1 << 64) - 1
_WORD = re.compile(rb"[0-9A-Za-z_\x80-\xff]+")  # minhash's word bytes
_SPACES = re.compile(rb"[\t\n\x0b\x0c\r\x1c-\x1f ]+")  # minhash's white-space bytes
_POWERS = [1]  # _BASE**i mod 2**64, grown as long tokens need

# MinHash's multipliers and offsets for DedupParams' default seed (1) and 128 permutations,
# as cleaner.corpus.minhash.permutations draws them with numpy (a test checks they are these).
A = (
    0x8306BDF37922E4FF,
    0xF35196BBC152A867,
    0x24E7A4F608EC18CF,
    0xF2DAB0AED2AC6FD3,
    0x4FD42FA03FCD72AB,
    0x6C5F1F45DE787049,
    0xD3E4513345EE6D25,
    0x68C1464C41CA3ACB,
    0x8CB22C02A4D1FA2B,
    0x70E1D3215F30263,
    0xC0E63C2EDD973235,
    0x89C3C29AD67F9CA5,
    0x54694C3AD14A9949,
    0xC9D676A873E2D50B,
    0x4D9E2D241FB91947,
    0x7418700C1FDA0C2F,
    0x22508E81FA16820D,
    0x673269A56220B55F,
    0x3415A484E7642557,
    0x4326F7928093FDED,
    0xC017E631051316F3,
    0x47C8DE4D0FE09747,
    0x7C3579C77F8CFC77,
    0xFB1197D71DEFA64D,
    0xF62F2A74BFC53501,
    0xB98BD564179423DF,
    0x8A8DD7DC4B0BA10B,
    0x46E25789ECC847BB,
    0x29207D73B9D2F21B,
    0xF84D082952945003,
    0x841D12216BCE592F,
    0x1DA95E684AFFFCD9,
    0x9F9D064D6CB28F45,
    0xC6D4B45F74A21DA1,
    0x9CEDC8CA5CE3D0D7,
    0xEAD405BAC5D58CB3,
    0xA22C23E6D6462C9,
    0x8751A03EB7F16DD5,
    0x75970952DF41A5E5,
    0xFF6245B5E3A7205,
    0xA42E153875093C21,
    0xDA46254CC523677B,
    0x97CAFB893700032B,
    0x4295BF0FCDEFFD29,
    0xD70279B1583A215F,
    0x826E527494E2055D,
    0x82C99D2AAC766A41,
    0xC0C69672FB1EF877,
    0x25DE37F20DDB7FF3,
    0xD1D30E818B89E43D,
    0xAEEBE40311AB02B3,
    0xC97F2F66C26E363F,
    0x310DC35DDF939981,
    0xCD67BCD78E26E09F,
    0x30FA9AD55BA5B92F,
    0x14E0A1E07ABFC865,
    0xDAF027AD3851E159,
    0xDC7D1340AAE99A37,
    0xE064BC32D70B0D8F,
    0x78CF134B4F7FB38D,
    0x462809029E0F298F,
    0x1D0C523EB60322F,
    0xA54DF6F0D6966091,
    0xB84BFB3A40DC195D,
    0xD5E7DD3A69BBC38D,
    0x48292531FF8CD21D,
    0x371889AD78541713,
    0xA3AB38A8B14A60C3,
    0xCE1812D3D834AE9B,
    0xF6B32262FA17BFDB,
    0x2688CB97E5186457,
    0x7B7245650ACE1071,
    0xE50C1947585271B1,
    0x6C372CDACC0385CB,
    0x96E99B6D9357203B,
    0x6450562E4109E5D,
    0xAC67DDFE7D5E84DB,
    0xEB49644B73FB2D31,
    0xD3AAD325F35689E1,
    0xE2B174C976E4295F,
    0xA90D0CDB12C2B187,
    0x3EDC836D44A2361F,
    0xC4BD87B0ADF2765F,
    0x363050E0E37325DF,
    0xD4CE6D74DF25A3AB,
    0x100E48225083BAA1,
    0xD3532B59C5997E45,
    0x2A1D25F175EB5BC1,
    0x6009A231254CD729,
    0x5115C0A2C1D56A23,
    0xB0FB76C508103027,
    0x2DB6E2F8BE8576C3,
    0x65710B398F78347D,
    0x17DB87D804FF7C3,
    0x4332DA7EA27529ED,
    0x6BD307B68DEC00F7,
    0x1B1DA7779C1E0FEF,
    0xA216C52D5D3855CB,
    0x61637C25C470021B,
    0xB9ACDD10064553A3,
    0xA763C34D8135DE73,
    0x6E64E04F28CC5375,
    0xDE08B776E228682B,
    0xA1D39B6850FB57D1,
    0xCF6E23D3158A6E6B,
    0x577FDBE944A46C93,
    0x8B2DE91AF72F7441,
    0x3240833DDFE18981,
    0xFF031BE9C20DF385,
    0x3E435E6113BED2AD,
    0x41C210FB2591F1C1,
    0x12BC95A74FA2674D,
    0x41FF629CE5D4EEDB,
    0xC35C6439EBD27FA9,
    0xB2A9272E2C28E075,
    0x20F0BA46C6049649,
    0x60512A9B2134F06B,
    0x6BC18128119739B9,
    0xAA3C68567AD60877,
    0x74B7C2B19274C18B,
    0x962610A83865642F,
    0xD6F591F774837ECB,
    0xB9FA2CADB2DCA9AF,
    0x5D711DB3925BEFF1,
    0x72CA19BC481AD43B,
    0x5E218F1A9264DAF1,
    0x1C1792292574A147,
    0x3407A3490B3DBBBF,
)
B = (
    0x48A78AC4685A5CCE,
    0x506B14382D4DAD8E,
    0x5023E78BB6E6B734,
    0x93A297B4EB3D9B0C,
    0xF8C0AC9B234C5E14,
    0xC6506384E1ADF5C2,
    0xCA87C1222855B422,
    0xC25F6BA2B350FFDE,
    0x98D4301AB679BD3E,
    0xEAEDE138576C032C,
    0xB08B9A13FB0931AA,
    0x80175BEA5BAFBCD8,
    0x13BBC3B48F99D3A8,
    0x7D0B023016BBC74E,
    0x367C17948FD658C4,
    0x21F8627243843924,
    0x818D7883EA9B3542,
    0xC8FB598846479AA8,
    0x4B858ACFF581134A,
    0xC4CE39DEE5F2AB7E,
    0x868FA80BCB40B6C4,
    0x262802E1E920A276,
    0xF7082046167E658A,
    0x66D1A1AE7D784E00,
    0x4B9478E0BAED2D8E,
    0xD8D4E29DA31CA366,
    0x1FDCA1E1CDA33002,
    0xBBCC959EF81816E4,
    0x30154846B2C42FA4,
    0x647A574DEC49A9F2,
    0x3B5DCA59F0F660B2,
    0xD75AB7BD17F1858A,
    0x63DBED0395642A60,
    0xF98577DAF9C62BEE,
    0xA01122FB02E46718,
    0xB191441ECECE408E,
    0x8582AB9F99E44568,
    0x4F188A36889F5B62,
    0x65432F84249AD46C,
    0xF0E1101BB239D460,
    0x33820D8EF684623E,
    0xFCFBE9F607A554CE,
    0xC220553DABE6B8FA,
    0x5C1AFEFAD069FD12,
    0xA43A3C0EDDBB092E,
    0x61880193A4BFB57C,
    0x61A9855557F55AC6,
    0x80F93AEAB6BD0732,
    0x447F26405523C5C,
    0x7E5AB4AC314D99A0,
    0xF8BAAC729991223C,
    0x49143FCDC77ACDC0,
    0xBF8B3650838FFD4C,
    0x715A9CD9E289D24A,
    0x35937141B756FCB8,
    0xE7AE3F9C75B4D4C2,
    0x44ECAFD61CA8A4E,
    0x4DB2C2D1C9F97BCE,
    0xFFC029047058E4F6,
    0x431C0D6C631E6406,
    0xD95AFB563BC8AA42,
    0x9B0E0D0336ED2B64,
    0xCE585B2B3CBA419C,
    0xA15C8121B7C606C2,
    0x5CD9B3836CEA059A,
    0xC2C30DC4F31C0EB8,
    0x6C7B0FF6451DBCE,
    0x7262556720F250CA,
    0x5F31DC7075D31E32,
    0x7A2185A3FBF057FC,
    0x20ABBFD2CB2F24BC,
    0x38F635C05FEC19C4,
    0x8FE29CEE249EE0D4,
    0x6344D63624235690,
    0xCAA9FB28AF9B6A90,
    0x9AEA3B448F563558,
    0xDC7BF9344B6312C2,
    0xBB7BFFF52F4516DC,
    0x9A1119FA16C8CB5E,
    0x49A12D15404B3254,
    0xC862FD7258347BEA,
    0x4053126ECA3833DA,
    0x1341091189E60DC8,
    0xF67E4B02E3F72CEE,
    0x8A3E2CA15CE5F1F8,
    0xC61DEFCA898EA182,
    0x877B255B11D79ACC,
    0x9C907D3CD7EDB916,
    0x8AD299B8E655726,
    0x2FD1B5E7EC930546,
    0xACB871B859B29702,
    0x92108580761C41C4,
    0x2897100D96CF3B8E,
    0xF3B830AE0385BD02,
    0x2783B83BCF55C96E,
    0x82A33BD8AB908814,
    0x24DD5F56BCD913B4,
    0xB7A5AC66B38B8636,
    0x46BC731EFF744F80,
    0x22569AAC6E37A9AE,
    0xBC5D0DD03DE27A6,
    0x2CC2059572E8A360,
    0x3119B87FBE1397DE,
    0x89770090A03EDE9E,
    0x737748D1549497AE,
    0xF5113E5FFFBB9944,
    0xF443431346E37A0C,
    0xCBEA722637C9123E,
    0xABED2ACC585B093C,
    0xD8536EEEA69ED9EE,
    0xF0520A32619D4220,
    0x5CA4685E1250A70,
    0x1E3C24E8197EB37A,
    0x5C3A4102A56AEE24,
    0x17F54ED9274D592C,
    0x997A6F94EA5B856E,
    0x42A73ACC0899F448,
    0x43ABC4BBA8267782,
    0x49CFDCF1C3984412,
    0x1903E4B1A1D0A3C2,
    0xBDAE8922CF7C8EB8,
    0xA69277E58A1379F6,
    0x9B441D3E1049C9A6,
    0x8B7361674D192D6,
    0x6DF15CB80751DD1E,
    0xAF6980A1B8BC1E12,
    0x280655842CD11564,
    0x62BA78F64001ED14,
)


def fits(params: DedupParams) -> bool:
    """This module has the permutations of the default seed and size only."""
    return params.seed == 1 and params.num_perm == len(A)


def _mix64(x: int) -> int:
    """splitmix64 finaliser, as cleaner.corpus.minhash._mix64."""
    x ^= x >> 30
    x = (x * _MIX1) & _M64
    x ^= x >> 27
    x = (x * _MIX2) & _M64
    return x ^ (x >> 31)


def _token_hash(token: bytes) -> int:
    """Polynomial hash of the token's bytes (byte i times BASE**i) plus its length, mixed."""
    while len(_POWERS) < len(token):
        _POWERS.append((_POWERS[-1] * _BASE) & _M64)
    return _mix64((sum(map(mul, token, _POWERS)) + len(token)) & _M64)


def features(pre: str, k: int) -> tuple[bytes, int, list[int]]:
    """Exact key, length in UTF-8 bytes with white space collapsed, and k-word shingle hashes
    of one prenormalised body (cleaner.corpus.minhash.features for a batch)."""
    enc = pre.encode("utf-8")
    collapsed = _SPACES.sub(b" ", enc)
    tokens = [_token_hash(t) for t in _WORD.findall(enc)]
    shingles = []
    for p in range(max(len(tokens) - k + 1, 1) if tokens else 0):
        h = tokens[p]
        for j in range(1, k):
            h = (h * _SHINGLE_MUL + (tokens[p + j] if p + j < len(tokens) else 0)) & _M64
        shingles.append(_mix64(h))
    return xxhash.xxh3_128_digest(collapsed), len(collapsed), shingles


def signature(shingles: Sequence[int]) -> list[int]:
    """MinHash of the shingles' upper 32 bits: per permutation, the least (a*x + b) mod 2**64,
    shifted to 32 bits.

    All shingles at once: each x sits in a 128-bit lane of one big integer, so a*X + b*ONES
    holds every a*x + b (below 2**97: no carry reaches the next lane), and the lanes' low
    64-bit words, read as machine words, are the values mod 2**64 (10x faster than a loop)."""
    if not shingles:
        return [_M64 >> 32] * len(A)
    if sys.byteorder != "little":
        xs = [s >> 32 for s in shingles]
        return [min([(a * x + b) & _M64 for x in xs]) >> 32 for a, b in zip(A, B, strict=True)]
    lanes = array("Q", bytes(16 * len(shingles)))
    lanes[::2] = array("Q", [s >> 32 for s in shingles])
    x = int.from_bytes(lanes.tobytes(), "little")
    lanes[::2] = array("Q", [1]) * len(shingles)
    ones = int.from_bytes(lanes.tobytes(), "little")
    size = 16 * len(shingles)
    return [
        min(memoryview((a * x + b * ones).to_bytes(size, "little")).cast("Q")[::2]) >> 32
        for a, b in zip(A, B, strict=True)
    ]


def band_keys(sig: Sequence[int], bands: int, rows: int) -> list[int]:
    """One key per band: the band's rows hashed together (cleaner.corpus.minhash.band_keys)."""
    keys = []
    for t in range(bands):
        h = t + 1
        for c in range(t * rows, (t + 1) * rows):
            h = (h * _SHINGLE_MUL + sig[c]) & _M64
        keys.append(_mix64(h))
    return keys


def candidate_pairs(keys: Sequence[Sequence[int]]) -> list[tuple[int, int]]:
    """Sorted pairs (i < j) of rows sharing a bucket in some band: each bucket's first row
    (the best-ranked) with every other member, as cleaner.corpus.minhash.candidate_pairs."""
    found: set[tuple[int, int]] = set()
    for t in range(len(keys[0]) if keys else 0):
        first: dict[int, int] = {}
        for row, band in enumerate(keys):
            head = first.setdefault(band[t], row)
            if head != row:
                found.add((head, row))
    return sorted(found)


def jaccard(x: set[int], y: set[int]) -> float:
    """Jaccard similarity of two shingle sets (the same float as cleaner.corpus.minhash.jaccard)."""
    if len(x) > len(y):
        x, y = y, x
    if not x:
        return 0.0 if y else 1.0
    inter = len(x & y)
    return inter / (len(x) + len(y) - inter)
