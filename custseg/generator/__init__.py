"""The synthetic landing-zone generator, one module per source family.

Steps, in the order `pipeline._run_steps` calls them (each takes what it reads as arguments
and returns what later steps read):

* `people`: customers and prospects (identities, places, archetypes, activity windows)
* `catalog`: products, stores, FX rates (and `pick_products`)
* `crm` (+ `crm_profile`): CRM records, crm ids, loyalty cards, signups, opt-ins
* `orders` (+ `order_output`): orders and order items
* `web` (+ `web_sessions`): devices, sessions and web events
* `feedback`: survey responses and support tickets
* `marketing`: leads and marketing touches
* `privacy`: privacy requests

Shared parts: `context` (random stream, calendar, sink), `calendar`, `draw` (random and array
helpers), `sql` (text expressions of ids and values), `versions` (record versions), `io`
(dirt injection and DuckDB output), `vocab` (vocabularies). `command` is the CLI subcommand.
"""
