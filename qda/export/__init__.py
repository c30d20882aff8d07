"""Writers of what leaves a project: tables, reports, exchange files."""
