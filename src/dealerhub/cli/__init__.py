"""The `dealerhub` command: migrations, demo data, stock maintenance, users and the server."""
