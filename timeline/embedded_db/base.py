"""The project's PostgreSQL backend, plus: start the embedded server before the first connection."""

from pathlib import Path

from timeline.postgresql import base

from .server import ensure_server


class DatabaseWrapper(base.DatabaseWrapper):
    """Connects like the stock backend; HOST and PORT come from the embedded server.

    OPTIONS["data_dir"] names the server's data folder. Django also opens connections to
    the `postgres` database (to create the test database); those go through here too.
    """

    def get_connection_params(self):
        options = self.settings_dict["OPTIONS"]
        data_dir = Path(options["data_dir"])
        address = ensure_server(data_dir, self.settings_dict["NAME"] or "postgres")
        self.settings_dict["HOST"] = address.socket_dir
        self.settings_dict["PORT"] = str(address.port)
        # Hide our own option from psycopg, which would reject it.
        stock = dict(self.settings_dict)
        stock["OPTIONS"] = {k: v for k, v in options.items() if k != "data_dir"}
        original, self.settings_dict = self.settings_dict, stock
        try:
            return super().get_connection_params()
        finally:
            self.settings_dict = original
