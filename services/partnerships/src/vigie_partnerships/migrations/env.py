import os

from alembic import context
from vigie_partnerships.adapters.orm import Base
from vigie_runtime.migrations import run_env

if not context.config.get_main_option("sqlalchemy.url"):
    context.config.set_main_option("sqlalchemy.url", os.environ["PARTNERSHIPS_DATABASE_URL"])
run_env(Base.metadata)
