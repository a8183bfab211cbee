"""Cross-cutting pieces every layer may use: errors, fields, parsers, logging, failpoints."""
