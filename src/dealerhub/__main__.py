from dealerhub.cli.main import app

app()
