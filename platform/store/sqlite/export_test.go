package sqlite

import "database/sql"

type sqlDB = sql.DB
