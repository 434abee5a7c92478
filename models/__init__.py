"""Wire messages, domain structs and database tables. Depends on nothing else in the project."""
