"""Instruments scored as a level per domain: the Participatieladder and the Zelfredzaamheid-Matrix.

Neither has a summed total: the Participatieladder is one rung (1-6), the ZRM (2017) a level of
self-reliance (1-5) on each of 13 domains, reported per domain (PRODUCT.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MISSING = -1


class LevelError(ValueError):
    """A cell that is not one of the instrument's levels."""


@dataclass(frozen=True)
class LevelInstrument:
    key: str
    name: str
    domains: tuple[tuple[str, str], ...]  # (column, label)
    levels: tuple[str, ...]  # label of level 1, 2, ...
    source: str
    licence: str

    @property
    def columns(self) -> list[str]:
        return [column for column, _label in self.domains]

    def level(self, text: str | None) -> int:
        """The level of a cell ('3', ' 3 ', '3.0'); MISSING for empty; LevelError otherwise."""
        if text is None or not str(text).strip():
            return MISSING
        raw = str(text).strip()
        if raw.endswith(".0"):
            raw = raw[:-2]
        if not raw.isdigit() or not 1 <= int(raw) <= len(self.levels):
            raise LevelError(text)
        return int(raw)

    def labels(self, levels: np.ndarray) -> list[str]:
        """The label of each level, '' for MISSING."""
        table = ["", *self.levels]
        return [table[v] if v > 0 else "" for v in np.asarray(levels).tolist()]


PARTICIPATIELADDER = LevelInstrument(
    key="participatieladder",
    name="Participatieladder",
    domains=(("trede", "Trede op de participatieladder"),),
    levels=(
        "geïsoleerd",
        "sociale contacten buitenshuis",
        "deelname georganiseerde activiteiten",
        "onbetaald werk",
        "betaald werk met ondersteuning",
        "betaald werk",
    ),
    source=(
        "Participatieladder, developed by Regioplan for the VNG and Divosa (project Participatieladder, "
        "co-funded by the Ministry of SZW); six rungs from socially isolated to paid work without support. "
        "VNG (2011), Implementatie en gebruik Participatieladder; instrumentwijzer.nl/participatieladder."
    ),
    licence="Free to use, without training or certification (instrumentwijzer.nl); cite the source.",
)

ZRM = LevelInstrument(
    key="zrm",
    name="Zelfredzaamheid-Matrix (ZRM 2017)",
    domains=(
        ("zrm_financien", "Financiën"),
        ("zrm_werk_opleiding", "Werk & opleiding"),
        ("zrm_tijdsbesteding", "Tijdsbesteding"),
        ("zrm_huisvesting", "Huisvesting"),
        ("zrm_huiselijke_relaties", "Huiselijke relaties"),
        ("zrm_geestelijke_gezondheid", "Geestelijke gezondheid"),
        ("zrm_lichamelijke_gezondheid", "Lichamelijke gezondheid"),
        ("zrm_middelengebruik", "Middelengebruik"),
        ("zrm_basale_adl", "Basale ADL"),
        ("zrm_instrumentele_adl", "Instrumentele ADL"),
        ("zrm_sociaal_netwerk", "Sociaal netwerk"),
        ("zrm_maatschappelijke_participatie", "Maatschappelijke participatie"),
        ("zrm_justitie", "Justitie"),
    ),
    levels=(
        "acute problematiek",
        "niet zelfredzaam",
        "beperkt zelfredzaam",
        "voldoende zelfredzaam",
        "volledig zelfredzaam",
    ),
    source="Zelfredzaamheid-Matrix 2017, GGD Amsterdam (zelfredzaamheidmatrix.nl). No summed total exists.",
    licence="Free to use with the source cited; training advised (zelfredzaamheidmatrix.nl).",
)
