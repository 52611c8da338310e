from dealerhub.migrations.env_common import run

run("core")
