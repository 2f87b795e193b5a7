"""wijkinzicht demo [--data DIR] [--reset-passwords]: real CBS demo data and demo users."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wijkinzicht.areas.importers import ImportFailed
from wijkinzicht.demo.services import (
    load_activities,
    load_data,
    load_evaluations,
    load_network,
    load_organisations,
    load_programmes,
    load_signals,
)


class Command(BaseCommand):
    help = "Laad de demo: echte CBS-cijfers van Amsterdam, Rotterdam en heel Nederland."

    def add_arguments(self, parser):
        parser.add_argument("--data", default="data/cbs", help="Map met de CBS-bestanden.")
        parser.add_argument(
            "--reset-passwords", action="store_true", help="Geef de demogebruikers een nieuw wachtwoord."
        )

    def handle(self, *args, data, reset_passwords, **options):
        data_dir = Path(data)
        if not data_dir.is_dir():
            raise CommandError(f"Map {data_dir} bestaat niet.")
        self.stdout.write("Demo-cijfers laden (Bron: CBS, CC BY 4.0):")
        try:
            load_data(data_dir, say=self.stdout.write)
        except ImportFailed as exc:
            for issue in exc.issues:
                self.stderr.write(f"{getattr(exc, 'filename', '')}: {issue}")
            raise CommandError("De demo-cijfers konden niet worden geladen.") from None
        creds = load_organisations(reset_passwords=reset_passwords)
        self.stdout.write("Demo-activiteiten, deelnemers en bezoek (verzonnen, in echte buurten):")
        load_activities(say=self.stdout.write)
        self.stdout.write(
            "Demo-programma's met veranderingsmodel, visies en metingen (verzonnen, in echte buurten):"
        )
        load_programmes(say=self.stdout.write)
        self.stdout.write(
            "Demo-netwerk: wie werkt met wie (verzonnen partijen, echte buurten, een jaar geschiedenis):"
        )
        load_network(say=self.stdout.write)
        self.stdout.write(
            "Demo-signalen: twee jaar, vier organisaties, een stijging om te vinden (verzonnen teksten, "
            "echte buurten):"
        )
        signal_credential = load_signals(data_dir=data_dir, say=self.stdout.write)
        if signal_credential is not None:
            creds.append(signal_credential)
        self.stdout.write("Demo-evaluaties berekenen (verzonnen aanpak, echte cijfers):")
        load_evaluations(say=self.stdout.write)
        self.stdout.write("")
        self.stdout.write("Demogebruikers (wachtwoorden worden één keer getoond):")
        for c in creds:
            pw = (
                c.password
                if c.password
                else "(bestaat al; nieuw wachtwoord: wijkinzicht demo --reset-passwords)"
            )
            self.stdout.write(f"  {c.username:20} {pw:24} {c.role:14} {c.organisation}")
        self.stdout.write(
            "Bij de eerste keer inloggen stelt u tweestapsverificatie in: voeg de getoonde sleutel toe "
            "aan een authenticator-app (FreeOTP, Microsoft of Google Authenticator). "
            "Kwijt? wijkinzicht reset-2fa GEBRUIKER"
        )
