"""From a raw file to a clean article with its metadata: `sources` (read and
decode) -> `parse` (blocks; `extract` for HTML, `paragraphs` for text) ->
`clean` (boilerplate out, by the `rules` data) -> `metadata` (title, date,
outlet, url, author). `pipeline` runs the steps in order."""
