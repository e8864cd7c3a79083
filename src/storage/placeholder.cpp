// Storage backends (SQLite, PostgreSQL) land here (issue 3).
