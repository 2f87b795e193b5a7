"""The one mapping from CBS columns to stable indicator keys (documented in docs/cbs-mapping.md).

CBS names the same figure differently per year and per channel:
- StatLine download labels: "Bevolking Aantal inwoners aantal" or "Bevolking/Aantal inwoners (aantal)";
- OData keys with a number that changes between years: AantalInwoners_5 (2017), _5 (2024);
- names chosen by re-publishers: Population_Total, woningvoorraad.
All are compared after `normalise_column`: the OData number suffix dropped, lower case,
everything that is not a letter or digit turned into one space. So "Wonen/Gemiddelde
WOZ-waarde van woningen (x 1 000 euro)" and "Wonen Gemiddelde WOZ waarde van woningen x 1 000
euro" are the same column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ODATA_SUFFIX = re.compile(r"_\d+$")
_NON_ALNUM = re.compile(r"[^0-9a-zà-ÿ]+")

CBS_KWB = "CBS Kerncijfers wijken en buurten"
POLITIE = "Politie / CBS Geregistreerde misdrijven (47018NED)"


def normalise_column(name: str) -> str:
    """Normalise a column header so that the spellings of one CBS column compare equal."""
    name = name.strip().lstrip("\ufeff")
    name = _ODATA_SUFFIX.sub("", name)
    return _NON_ALNUM.sub(" ", name.lower()).strip()


@dataclass(frozen=True)
class IndicatorDef:
    key: str
    label_nl: str
    label_en: str
    unit: str
    category: str
    direction: str = "neutral"
    decimals: int = 0
    key_figure: bool = False
    source: str = CBS_KWB
    columns: tuple[str, ...] = field(default_factory=tuple)


# The plausible range of a value, per unit: a figure outside it is a broken file (1e308
# inhabitants), refused at import with row and column, never stored. Wide on purpose: crime per
# 1,000 inhabitants can run into the thousands in a business district with a handful of residents.
PLAUSIBLE_RANGE: dict[str, tuple[float, float]] = {
    "aantal": (0, 25_000_000),  # the Netherlands has about 18 million inhabitants
    "%": (0, 100),
    "x 1 000 euro": (-1_000, 100_000),
    "per 1 000 inwoners": (0, 1_000_000),
    "inwoners per km²": (0, 1_000_000),
    "per km²": (0, 1_000_000),
    "personen": (0, 100),
    "per huishouden": (0, 20),
    "1 zeer sterk – 5 niet": (1, 5),
    "km": (0, 1_000),
    "ha": (0, 10_000_000),  # the Netherlands: about 4.2 million ha
}


def plausible_range(indicator: IndicatorDef) -> tuple[float, float]:
    return PLAUSIBLE_RANGE.get(indicator.unit, (-1e12, 1e12))


def _d(key, nl, en, unit, cat, direction="neutral", decimals=0, key_figure=False,
       source=CBS_KWB, columns=()):
    return IndicatorDef(key, nl, en, unit, cat, direction, decimals, key_figure, source,
                        tuple(columns))


HB, HW, N = "higher_better", "higher_worse", "neutral"

INDICATORS: tuple[IndicatorDef, ...] = (
    # --- population
    _d("population", "Aantal inwoners", "Inhabitants", "aantal", "bevolking", N, 0, True, columns=(
        "Bevolking Aantal inwoners aantal", "AantalInwoners", "Population_Total",
        "inwoners", "aantal_inwoners")),
    _d("men", "Mannen", "Men", "aantal", "bevolking", columns=(
        "Bevolking Geslacht Mannen aantal", "Mannen")),
    _d("women", "Vrouwen", "Women", "aantal", "bevolking", columns=(
        "Bevolking Geslacht Vrouwen aantal", "Vrouwen")),
    _d("age_0_15", "Inwoners 0 tot 15 jaar", "Inhabitants aged 0-14", "aantal", "bevolking",
       N, 0, True, columns=("Bevolking Leeftijdsgroepen 0 tot 15 jaar aantal", "k_0Tot15Jaar",
                            "Pop_Age_0_15")),
    _d("age_15_25", "Inwoners 15 tot 25 jaar", "Inhabitants aged 15-24", "aantal", "bevolking",
       columns=("Bevolking Leeftijdsgroepen 15 tot 25 jaar aantal", "k_15Tot25Jaar",
                "Pop_Age_15_25")),
    _d("age_25_45", "Inwoners 25 tot 45 jaar", "Inhabitants aged 25-44", "aantal", "bevolking",
       columns=("Bevolking Leeftijdsgroepen 25 tot 45 jaar aantal", "k_25Tot45Jaar",
                "Pop_Age_25_45")),
    _d("age_45_65", "Inwoners 45 tot 65 jaar", "Inhabitants aged 45-64", "aantal", "bevolking",
       columns=("Bevolking Leeftijdsgroepen 45 tot 65 jaar aantal", "k_45Tot65Jaar",
                "Pop_Age_45_65")),
    _d("age_65_plus", "Inwoners 65 jaar of ouder", "Inhabitants aged 65 and over", "aantal",
       "bevolking", N, 0, True, columns=("Bevolking Leeftijdsgroepen 65 jaar of ouder aantal",
                                         "k_65JaarOfOuder", "Pop_Age_65_Plus")),
    _d("migration_western", "Migratieachtergrond westers", "Western migration background",
       "aantal", "bevolking", columns=(
           "Bevolking Personen met een migratieachtergrond Westers totaal aantal",
           "WestersTotaal")),
    _d("migration_non_western", "Migratieachtergrond niet-westers",
       "Non-western migration background", "aantal", "bevolking", columns=(
           "Bevolking Personen met een migratieachtergrond Niet westers Niet westers totaal aantal",
           "NietWestersTotaal")),
    _d("population_density", "Bevolkingsdichtheid", "Population density", "inwoners per km²",
       "bevolking", columns=("Bevolking Bevolkingsdichtheid aantal inwoners per km",
                             "Bevolkingsdichtheid")),
    # --- households
    _d("households", "Huishoudens", "Households", "aantal", "huishoudens", N, 0, True, columns=(
        "Bevolking Particuliere huishoudens Huishoudens totaal aantal", "HuishoudensTotaal")),
    _d("single_person_households", "Eenpersoonshuishoudens", "Single-person households",
       "aantal", "huishoudens", columns=(
           "Bevolking Particuliere huishoudens Eenpersoonshuishoudens aantal",
           "Eenpersoonshuishoudens")),
    _d("households_with_children", "Huishoudens met kinderen", "Households with children",
       "aantal", "huishoudens", columns=(
           "Bevolking Particuliere huishoudens Huishoudens met kinderen aantal",
           "HuishoudensMetKinderen")),
    _d("households_without_children", "Huishoudens zonder kinderen",
       "Households without children", "aantal", "huishoudens", columns=(
           "Bevolking Particuliere huishoudens Huishoudens zonder kinderen aantal",
           "HuishoudensZonderKinderen")),
    _d("household_size", "Gemiddelde huishoudensgrootte", "Average household size", "personen",
       "huishoudens", N, 1, columns=(
           "Bevolking Particuliere huishoudens Gemiddelde huishoudensgrootte aantal",
           "GemiddeldeHuishoudensgrootte", "Avg_Household_Size")),
    # --- housing
    _d("dwellings", "Woningvoorraad", "Dwellings", "aantal", "wonen", N, 0, True, columns=(
        "Wonen Woningvoorraad aantal", "Woningvoorraad")),
    _d("woz_mean", "Gemiddelde WOZ-waarde", "Mean WOZ property value", "x 1 000 euro", "wonen",
       N, 0, True, columns=(
           "Wonen Gemiddelde WOZ waarde van woningen x 1 000 euro", "GemiddeldeWoningwaarde",
           "Avg_Property_Value_1000EUR", "woz_gemiddeld_x1000_eur")),
    _d("pct_single_family", "Eengezinswoningen", "Single-family dwellings", "%", "wonen",
       columns=("Wonen Woningen naar type Percentage eengezinswoning",
                "PercentageEengezinswoning")),
    _d("pct_multi_family", "Meergezinswoningen", "Multi-family dwellings", "%", "wonen",
       columns=("Wonen Woningen naar type Percentage meergezinswoning",
                "PercentageMeergezinswoning")),
    _d("pct_uninhabited", "Onbewoonde woningen", "Uninhabited dwellings", "%", "wonen", HW,
       columns=("Wonen Woningen naar bewoning Percentage onbewoond", "PercentageOnbewoond",
                "Pct_Unoccupied_Homes")),
    _d("pct_owner_occupied", "Koopwoningen", "Owner-occupied dwellings", "%", "wonen", N, 0,
       True, columns=("Wonen Woningen naar eigendom Koopwoningen", "Koopwoningen",
                      "Pct_Owner_Occupied", "pct_koopwoningen")),
    _d("pct_rented", "Huurwoningen", "Rented dwellings", "%", "wonen", N, 0, True, columns=(
        "Wonen Woningen naar eigendom Huurwoningen Huurwoningen totaal", "HuurwoningenTotaal",
        "Pct_Rental", "pct_huurwoningen")),
    _d("pct_corporation_rented", "Huurwoningen van een woningcorporatie",
       "Dwellings rented from a housing corporation", "%", "wonen", N, 0, True, columns=(
           "Wonen Woningen naar eigendom Huurwoningen In bezit woningcorporatie",
           "InBezitWoningcorporatie")),
    _d("pct_other_landlord_rented", "Huurwoningen van overige verhuurders",
       "Dwellings rented from other landlords", "%", "wonen", columns=(
           "Wonen Woningen naar eigendom Huurwoningen In bezit overige verhuurders",
           "InBezitOverigeVerhuurders")),
    _d("pct_built_before_2000", "Bouwjaar voor 2000", "Built before 2000", "%", "wonen",
       columns=("Wonen Woningen naar bouwjaar Bouwjaar voor 2000", "BouwjaarVoor2000")),
    # --- income and social security
    _d("income_per_inhabitant", "Gemiddeld inkomen per inwoner", "Mean income per inhabitant",
       "x 1 000 euro", "inkomen", HB, 1, True, columns=(
           "Inkomen Inkomen van personen Gemiddeld inkomen per inwoner x 1 000 euro",
           "GemiddeldInkomenPerInwoner", "Avg_Income_Per_Inhabitant_1000EUR")),
    _d("income_per_recipient", "Gemiddeld inkomen per inkomensontvanger",
       "Mean income per income recipient", "x 1 000 euro", "inkomen", HB, 1, columns=(
           "Inkomen Inkomen van personen Gemiddeld inkomen per inkomensontvanger x 1 000 euro",
           "GemiddeldInkomenPerInkomensontvanger", "Avg_Income_Per_Income_Recipient_1000EUR")),
    _d("income_std_household", "Gemiddeld gestandaardiseerd inkomen van huishoudens",
       "Mean standardised household income", "x 1 000 euro", "inkomen", HB, 1, columns=(
           "GemGestandaardiseerdInkomenVanHuish", "Avg_Std_Household_Income_1000EUR")),
    _d("pct_households_lowest_40", "Huishoudens met laagste 40% inkomen",
       "Households in the lowest 40% income", "%", "inkomen", HW, 1, columns=(
           "Inkomen Inkomen van huishoudens 40 huishoudens met laagste inkomen",
           "k_40HuishoudensMetLaagsteInkomen", "Pct_Lowest_40Pct_Income")),
    _d("pct_households_highest_20", "Huishoudens met hoogste 20% inkomen",
       "Households in the highest 20% income", "%", "inkomen", N, 1, columns=(
           "Inkomen Inkomen van huishoudens 20 huishoudens met hoogste inkomen",
           "k_20HuishoudensMetHoogsteInkomen", "Pct_Highest_20Pct_Income")),
    _d("pct_persons_lowest_40", "Personen met laagste 40% inkomen",
       "Persons in the lowest 40% income", "%", "inkomen", HW, 1, columns=(
           "Inkomen Inkomen van personen 40 personen met laagste inkomen",
           "k_40PersonenMetLaagsteInkomen")),
    _d("pct_low_income_households", "Huishoudens met een laag inkomen",
       "Low-income households", "%", "inkomen", HW, 1, True, columns=(
           "Inkomen Inkomen van huishoudens Huishoudens met een laag inkomen",
           "HuishoudensMetEenLaagInkomen", "Pct_Low_Income_Households")),
    _d("pct_households_social_minimum", "Huishoudens onder of rond het sociaal minimum",
       "Households at or below the social minimum", "%", "inkomen", HW, 1, columns=(
           "Inkomen Inkomen van huishoudens Huish onder of rond sociaal minimum",
           "HuishOnderOfRondSociaalMinimum")),
    _d("pct_households_below_120_social_minimum",
       "Huishoudens tot 120% van het sociaal minimum",
       "Households up to 120% of the social minimum", "%", "inkomen", HW, 1, columns=(
           "HuishoudensTot120VanSociaalMinimum", "Pct_Below_120Pct_Social_Min")),
    _d("social_assistance_persons", "Personen met bijstand", "Persons on social assistance",
       "aantal", "sociale zekerheid", HW, 0, True, columns=(
           "Sociale zekerheid Personen per soort uitkering Bijstand aantal",
           "PersonenPerSoortUitkeringBijstand")),
    _d("disability_benefit_persons", "Personen met een arbeidsongeschiktheidsuitkering",
       "Persons on disability benefit", "aantal", "sociale zekerheid", HW, columns=(
           "Sociale zekerheid Personen per soort uitkering AO aantal",
           "PersonenPerSoortUitkeringAO")),
    _d("unemployment_benefit_persons", "Personen met een WW-uitkering",
       "Persons on unemployment benefit", "aantal", "sociale zekerheid", HW, columns=(
           "Sociale zekerheid Personen per soort uitkering WW aantal",
           "PersonenPerSoortUitkeringWW")),
    _d("aow_persons", "Personen met AOW", "Persons on state pension (AOW)", "aantal",
       "sociale zekerheid", columns=("Sociale zekerheid Personen per soort uitkering AOW aantal",
                                     "PersonenPerSoortUitkeringAOW")),
    _d("higher_educated", "Hoogopgeleiden", "Persons with higher education", "aantal",
       "onderwijs", columns=("OpleidingsniveauHoog", "Higher_Education_Count")),
    # --- safety
    _d("crimes_registered", "Geregistreerde misdrijven", "Registered crimes", "aantal",
       "veiligheid", HW, 0, True, POLITIE, columns=(
           "GeregistreerdeMisdrijven", "TotaalGeregistreerdeMisdrijven",
           "Geregistreerde misdrijven aantal", "Totaal misdrijven")),
    _d("crimes_property", "Vermogensmisdrijven", "Property crimes", "aantal", "veiligheid", HW,
       source=POLITIE, columns=("crime_property",)),
    _d("crimes_violence", "Geweldsmisdrijven", "Violent crimes", "aantal", "veiligheid", HW,
       source=POLITIE, columns=("crime_violence",)),
    _d("crimes_vandalism", "Vernielingen", "Vandalism", "aantal", "veiligheid", HW,
       source=POLITIE, columns=("crime_vandalism",)),
    _d("burglary_per_1000", "Diefstal uit woning per 1 000 inwoners",
       "Burglary per 1,000 inhabitants", "per 1 000 inwoners", "veiligheid", HW, columns=(
           "Criminaliteit Totaal diefstal uit woning schuur e d per 1 000 inwoners",
           "TotaalDiefstalUitWoningSchuurED")),
    _d("vandalism_per_1000", "Vernieling en misdrijven tegen de openbare orde per 1 000 inwoners",
       "Vandalism and public-order offences per 1,000 inhabitants", "per 1 000 inwoners",
       "veiligheid", HW, columns=(
           "Criminaliteit Vernieling misdrijf tegen openbare orde per 1 000 inwoners",
           "VernielingMisdrijfTegenOpenbareOrde")),
    _d("violence_per_1000", "Gewelds- en seksuele misdrijven per 1 000 inwoners",
       "Violent and sexual offences per 1,000 inhabitants", "per 1 000 inwoners", "veiligheid",
       HW, columns=("Criminaliteit Gewelds en seksuele misdrijven per 1 000 inwoners",
                    "GeweldsEnSeksueleMisdrijven")),
    # --- surroundings
    _d("urbanity", "Mate van stedelijkheid", "Degree of urbanisation", "1 zeer sterk – 5 niet",
       "omgeving", columns=("Stedelijkheid Mate van stedelijkheid code", "MateVanStedelijkheid",
                            "Urbanization_Level")),
    _d("address_density", "Omgevingsadressendichtheid", "Address density", "per km²",
       "omgeving", columns=("Stedelijkheid Omgevingsadressendichtheid per km",
                            "Omgevingsadressendichtheid")),
    _d("distance_gp", "Afstand tot huisartsenpraktijk", "Distance to GP practice", "km",
       "voorzieningen", HW, 1, columns=("Nabijheid voorzieningen Afstand tot huisartsenpraktijk km",
                                        "AfstandTotHuisartsenpraktijk")),
    _d("distance_supermarket", "Afstand tot grote supermarkt", "Distance to large supermarket",
       "km", "voorzieningen", HW, 1, columns=(
           "Nabijheid voorzieningen Afstand tot grote supermarkt km",
           "AfstandTotGroteSupermarkt")),
    _d("distance_school", "Afstand tot basisschool", "Distance to primary school", "km",
       "voorzieningen", HW, 1, columns=(
           "Nabijheid voorzieningen Basisonderwijs Afstand tot school km", "AfstandTotSchool")),
    _d("cars_per_household", "Personenauto's per huishouden", "Cars per household", "per huishouden",
       "omgeving", N, 1, columns=(
           "Motorvoertuigen Personenauto s Personenauto s per huishouden per huishouden",
           "PersonenautoSPerHuishouden")),
    _d("area_land_ha", "Oppervlakte land", "Land area", "ha", "omgeving", columns=(
        "Oppervlakte Oppervlakte land ha", "OppervlakteLand")),
)

# Columns that identify the row (code, name, year) rather than carry a figure.
CODE_COLUMNS = ("codering", "regioaanduiding codering", "codering code", "code", "region code",
                "area code", "regiocode", "gwb code", "wijkenenbuurten")
NAME_COLUMNS = ("naam", "regioaanduiding naam", "wijken en buurten", "regionaam", "buurt naam",
                "name", "region name")
GEMEENTE_NAME_COLUMNS = ("gemeentenaam", "regioaanduiding gemeentenaam", "municipality name",
                         "gemeentenaam naam")
YEAR_COLUMNS = ("jaar", "year", "periode", "perioden")
# Known columns that are deliberately not imported: row ids, region type (derived from the
# code), postcode and coverage codes, "indelingswijziging".
IGNORED_COLUMNS = frozenset({
    "id", "cbs odata id", "soort regio", "soortregio", "region type", "regioaanduiding soort regio",
    "indelingswijziging", "indelingswijziging wijken en buurten",
    "postcode meest voorkomende postcode code", "meestvoorkomendepostcode",
    "postcode dekkingspercentage code", "dekkingspercentage",
})


def column_index() -> dict[str, str]:
    """Normalised column name -> indicator key."""
    index: dict[str, str] = {}
    for ind in INDICATORS:
        index[normalise_column(ind.key)] = ind.key
        for col in ind.columns:
            norm = normalise_column(col)
            if norm in index and index[norm] != ind.key:
                raise ValueError(f"column {col!r} maps to {index[norm]} and {ind.key}")
            index[norm] = ind.key
    return index


COLUMN_INDEX = column_index()
INDICATOR_BY_KEY = {ind.key: ind for ind in INDICATORS}
