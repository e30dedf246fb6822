package postgres

import "database/sql"

type sqlDB = sql.DB
