"""A synthetic corpus of field signals, labelled with themes (issue 17).

There is no public, labelled corpus of Dutch field signals: Amsterdam's Signalen keeps its
training data inside the municipality, and the reports of social workers are confidential. This
script writes what a year of signals of several organisations could look like, for the demo, the
tests and the benchmarks, and says so wherever it is used: the figures measured on it show how the
pipeline behaves, not how well it would do on real signals.

Each signal is built from an opening, one or two observations of a theme (sometimes of two themes:
then it carries both labels), and sometimes a context sentence shared by all themes. Observations
reuse words across themes ("ouderen", "geld", "avond", "buren") so that no single word gives a
theme away; a quarter of their words are left out and one in twelve has a typo, so that no two
signals read alike; and 3 % of the rows carry a wrong label, as hand labels do.

    python scripts/signal_corpus.py --rows 6000 --seed 17 --out data/signals/signals_synthetic.csv
    python scripts/signal_corpus.py --rows 3000 --seed 5 --clean --out data/signals/signals_demo.csv
"""

from __future__ import annotations

import argparse
import csv
import random
import sys

THEMES: dict[str, list[str]] = {
    "eenzaamheid": [
        "steeds meer ouderen zitten de hele dag alleen thuis",
        "een oudere bewoner zei dat hij al weken met niemand had gesproken",
        "bij de koffieochtend komen minder mensen en wie komt blijft lang hangen om te praten",
        "na het overlijden van hun partner vallen weduwen en weduwnaars in een gat",
        "mensen durven niet meer naar buiten en missen contact met de buren",
        "jonge moeders in de flat kennen niemand en voelen zich geisoleerd",
        "de bewoners van het seniorencomplex zeggen dat ze zich eenzaam voelen",
        "sinds het buurthuis dicht is hebben ouderen geen plek meer om elkaar te zien",
        "statushouders hebben weinig contacten buiten hun eigen gezin",
        "een man vertelde dat de dagen lang zijn en dat niemand langskomt",
        "in de zomer zijn veel vrijwilligers weg en zitten mensen alleen",
        "de bezoekdienst krijgt meer aanvragen voor een maatje",
    ],
    "armoede_schulden": [
        "meer gezinnen komen bij de voedselbank en schamen zich ervoor",
        "bewoners hebben betalingsachterstanden bij huur en energie",
        "de energierekening is voor veel huishoudens niet meer te betalen",
        "ouders kunnen de schoolspullen en de contributie van de sportclub niet betalen",
        "er liggen stapels ongeopende brieven van incassobureaus",
        "werkende mensen met een laag inkomen komen net niet rond aan het eind van de maand",
        "schulden stapelen zich op door boetes en aanmaningen",
        "mensen weten de weg naar schuldhulp niet of durven niet te vragen",
        "kinderen gaan zonder ontbijt naar school omdat er geen geld is",
        "de wachtlijst bij de schuldhulpverlening wordt langer",
        "huishoudens zetten de verwarming uit om kosten te besparen",
        "meer aanvragen voor bijzondere bijstand en het noodfonds",
    ],
    "jeugdoverlast": [
        "groepen jongeren hangen 's avonds rond bij het winkelcentrum",
        "jongeren op scooters rijden hard door de straat en maken lawaai",
        "bij het speelveld wordt tot laat in de nacht geschreeuwd en vuurwerk afgestoken",
        "een groep tieners intimideert voorbijgangers bij de ingang van de metro",
        "op het schoolplein wordt na schooltijd geblowd en rommel achtergelaten",
        "jongeren vervelen zich omdat het jongerencentrum dicht is",
        "bewoners zijn bang voor de groep die in de portiek zit",
        "er is vernieling aan bankjes en bushokjes in het park",
        "jonge jongens worden geronseld als loopjongen voor dealers",
        "de jeugd heeft geen plek om te sporten en hangt daarom op straat",
        "buurtbewoners klagen over harde muziek van jongeren in de avond",
        "kinderen van twaalf jaar zijn tot middernacht buiten zonder toezicht",
    ],
    "psychische_gezondheid": [
        "meer bewoners met verward gedrag in de openbare ruimte",
        "mensen vertellen over somberheid, slapeloosheid en angst",
        "een bewoner met psychische klachten wacht al maanden op hulp van de ggz",
        "jongeren praten over stress, druk en gedachten aan de dood",
        "de wachtlijsten bij de ggz zorgen dat mensen zonder begeleiding thuis zitten",
        "mantelzorgers raken overbelast en uitgeput door de zorg voor hun naaste",
        "er zijn meerdere meldingen van bewoners die vreemd gedrag vertonen in het trappenhuis",
        "bewoners met een burn-out trekken zich terug en komen de deur niet meer uit",
        "ouders maken zich zorgen over de angst en paniek van hun kinderen",
        "na de brand in de flat hebben bewoners nog steeds last van nachtmerries",
        "een vrouw vertelde dat ze het niet meer ziet zitten",
        "de wijkverpleging ziet meer mensen met depressieve klachten",
    ],
    "wonen_burenruzie": [
        "ruzie tussen buren over geluidsoverlast loopt hoog op",
        "in de portiekflat is schimmel en vocht en de corporatie reageert niet",
        "buren klagen over stank en vervuiling in een woning",
        "conflicten tussen buren over parkeren en afval op de galerij",
        "de woningen zijn slecht onderhouden en bewoners voelen zich niet gehoord",
        "bewoners ergeren zich aan elkaar door dunne muren en lawaai",
        "er wonen te veel mensen in een te kleine woning",
        "spanning in het complex tussen oude en nieuwe bewoners",
        "een bewoner dreigt met huisuitzetting na klachten van de buren",
        "overbewoning door arbeidsmigranten geeft overlast in de straat",
        "de lift is al weken kapot en oudere bewoners komen niet meer beneden",
        "buurtbemiddeling krijgt meer aanmeldingen voor burenruzies",
    ],
    "veiligheid": [
        "bewoners voelen zich 's avonds onveilig door slechte verlichting",
        "er wordt op straat gedeald bij de speeltuin",
        "meerdere inbraken in de schuurtjes en bergingen",
        "vrouwen worden nageroepen en lastiggevallen bij het station",
        "er zijn schoten gehoord en bewoners zijn geschrokken",
        "fietsendiefstal en autokraak nemen toe in de straat",
        "in het park worden mensen beroofd van hun telefoon",
        "bewoners zien verdachte auto's die 's nachts af en aan rijden",
        "drugsafval en spuiten liggen in de bosjes",
        "huiselijk geweld wordt vaker genoemd in gesprekken met bewoners",
        "een explosie bij een bedrijfspand heeft de buurt bang gemaakt",
        "ondermijning: panden worden gebruikt voor criminele activiteiten",
    ],
    "polarisatie": [
        "spanningen tussen groepen na het nieuws over het azc",
        "bewoners uiten discriminerende opmerkingen over nieuwkomers",
        "op sociale media wordt opgeroepen tot een protest tegen de opvang",
        "jongeren met een migratieachtergrond voelen zich buitengesloten",
        "er zijn racistische leuzen op muren gekalkt",
        "wantrouwen tegen de overheid en complotdenken nemen toe in gesprekken",
        "ruzies tussen groepen over het conflict in het Midden-Oosten lopen op school hoog op",
        "bewoners zeggen dat de gemeente alleen voor anderen zorgt",
        "moslimvrouwen met een hoofddoek worden op straat uitgescholden",
        "een buurtbijeenkomst over de nieuwe opvang verliep grimmig",
        "groepen in de wijk leven langs elkaar heen en spreken elkaar niet meer",
        "er is een dreigbrief bezorgd bij de moskee",
    ],
    "gezondheid": [
        "veel kinderen hebben overgewicht en bewegen weinig",
        "ouderen vallen thuis en er is geen valpreventie",
        "bewoners roken veel en er is weinig belangstelling voor stoppen",
        "mensen mijden de huisarts omdat ze het eigen risico niet kunnen betalen",
        "er is veel ongezond eten en weinig aanbod van groente in de buurt",
        "diabetes komt veel voor bij oudere migranten",
        "tandzorg wordt uitgesteld door de kosten",
        "kinderen komen zonder gezonde lunch naar school",
        "de wijkverpleging ziet meer kwetsbare ouderen met meerdere ziektes",
        "ouders laten hun kinderen niet vaccineren uit wantrouwen",
        "bewoners met copd hebben last van de luchtvervuiling bij de snelweg",
        "het beweegaanbod voor ouderen is weggevallen",
    ],
    "taal_participatie": [
        "veel bewoners spreken onvoldoende Nederlands om brieven te begrijpen",
        "nieuwkomers vinden geen taalcursus die past bij hun werktijden",
        "ouders kunnen niet meedoen aan de ouderavond door de taal",
        "laaggeletterde bewoners missen belangrijke informatie van de gemeente",
        "vrouwen willen graag vrijwilligerswerk doen maar weten niet waar",
        "statushouders zoeken werk en stage maar komen niet binnen",
        "digitale formulieren zijn voor veel ouderen en nieuwkomers te moeilijk",
        "bewoners doen niet mee aan de bewonersavond omdat ze denken dat het niets uitmaakt",
        "het taalcafe zit vol en er is een wachtlijst",
        "jongeren zonder startkwalificatie zitten thuis zonder werk of opleiding",
        "mensen weten niet welke regelingen er zijn en vragen toeslagen niet aan",
        "de bibliotheek ziet meer vragen over de digitale overheid",
    ],
    "verslaving": [
        "bewoners drinken overdag al veel alcohol op het bankje",
        "jongeren gebruiken lachgas en de patronen liggen op straat",
        "gokverslaving leidt tot schulden in gezinnen",
        "er wordt veel gebruikt in de portiek en gebruikers slapen in de berging",
        "ouders zijn bezorgd over het blowen van hun kinderen",
        "een bewoner met een drankprobleem veroorzaakt ruzie met de buren",
        "cocainegebruik onder jongvolwassenen wordt vaker genoemd",
        "de verslavingszorg is moeilijk bereikbaar voor bewoners",
        "mensen gokken online en verliezen hun salaris",
        "overmatig gebruik van slaappillen bij ouderen",
        "dak- en thuislozen met een verslaving overnachten in de fietsenstalling",
        "de coffeeshop trekt overlast aan in de straat",
    ],
}
OPENINGS = [
    "", "", "", "Bij huisbezoeken merken we dat", "Collega's signaleren dat", "Op het spreekuur horen we dat",
    "Uit gesprekken op straat blijkt dat", "We zien de laatste weken dat", "Bewoners melden dat",
    "Al een tijd valt op dat", "Tijdens de inloop bleek dat", "Opnieuw zien we dat",
    "In de wijk merken we dat", "Vrijwilligers vertellen dat",
]
CONTEXTS = [
    "", "", "", "", "Dit speelt vooral in de avond.", "Het gaat om meerdere huishoudens.",
    "Het lijkt erger te worden sinds de zomer.", "Graag aandacht van de gemeente.",
    "Wij houden het in de gaten.", "Dit hoorden we van verschillende bewoners.",
    "De buren maken zich zorgen.", "Dit is niet nieuw maar neemt toe.", "Ook ouderen hebben hier last van.",
    "Er is nog geen aanbod voor.", "We hebben contact gezocht met het wijkteam.",
]
# how often each theme is reported (some themes are far more common, as in real registrations)
WEIGHTS = {
    "eenzaamheid": 16, "armoede_schulden": 18, "jeugdoverlast": 12, "psychische_gezondheid": 10,
    "wonen_burenruzie": 12, "veiligheid": 9, "polarisatie": 4, "gezondheid": 7,
    "taal_participatie": 8, "verslaving": 4,
}


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.random()
    if kind < 0.4:  # two letters swapped
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind < 0.7:  # a letter left out
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]  # a letter doubled


def _sentence(rng: random.Random, theme: str, clean: bool = False) -> str:
    """One observation, written the way people type in a hurry: about a quarter of its words left
    out, one word in twelve with a typo, sometimes two words swapped (clean: as written above)."""
    words = rng.choice(THEMES[theme]).split()
    if clean:
        return " ".join(words)
    kept = [w for w in words if rng.random() > 0.25] or words[:3]
    kept = [_typo(rng, w) if rng.random() < 1 / 12 else w for w in kept]
    if len(kept) > 5 and rng.random() < 0.3:
        i = rng.randrange(1, len(kept) - 1)
        kept[i], kept[i + 1] = kept[i + 1], kept[i]
    return " ".join(kept)


def signal(rng: random.Random, clean: bool = False) -> tuple[str, list[str]]:
    themes = list(WEIGHTS)
    first = rng.choices(themes, weights=[WEIGHTS[t] for t in themes])[0]
    labels = [first]
    if rng.random() < 0.15:
        second = rng.choices(themes, weights=[WEIGHTS[t] for t in themes])[0]
        if second != first:
            labels.append(second)
    parts = []
    opening = rng.choice(OPENINGS)
    body = _sentence(rng, first, clean)
    parts.append(f"{opening} {body}".strip() if opening else body[0].upper() + body[1:])
    if rng.random() < 0.35:
        parts.append("Ook " + _sentence(rng, first, clean))
    for extra in labels[1:]:
        parts.append("Daarnaast " + _sentence(rng, extra, clean))
    context = rng.choice(CONTEXTS)
    text = ". ".join(p.rstrip(".") for p in parts) + "." + (f" {context}" if context else "")
    if rng.random() < 0.03 and not clean:  # a wrong hand label
        labels = [rng.choice(themes)]
    return text, labels


def rows(count: int, seed: int = 17, clean: bool = False):
    rng = random.Random(seed)
    for _ in range(count):
        text, labels = signal(rng, clean)
        yield {"text": text, "theme": "|".join(labels)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--out", default="-")
    parser.add_argument("--clean", action="store_true", help="as written: no left-out words or typos (demo)")
    options = parser.parse_args(argv)
    if options.out == "-":
        write(sys.stdout, options.rows, options.seed, options.clean)
    else:
        with open(options.out, "w", newline="", encoding="utf-8") as out:
            write(out, options.rows, options.seed, options.clean)
    return 0


def write(out, count: int, seed: int, clean: bool = False) -> None:
    writer = csv.DictWriter(out, fieldnames=["text", "theme"])
    writer.writeheader()
    writer.writerows(rows(count, seed, clean))


if __name__ == "__main__":
    sys.exit(main())
