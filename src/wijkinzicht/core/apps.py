from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wijkinzicht.core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.backends.signals import connection_created

        connection_created.connect(_private_sqlite_files, dispatch_uid="wijkinzicht-private-sqlite")


def _private_sqlite_files(sender, connection, **kwargs):
    """The SQLite database holds personal data: its files are readable by their owner only (0600),
    whatever the umask of the process that created them."""
    import os
    import stat

    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for path in (name, f"{name}-wal", f"{name}-shm"):
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
            if mode & 0o077:
                os.chmod(path, 0o600)
        except FileNotFoundError:
            continue
