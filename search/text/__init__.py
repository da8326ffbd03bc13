"""Text as every stage reads it: words and their index terms (`analysis`),
folded spellings and aliases (`names`), dates (`dates`), near-duplicate
shingles (`shingles`), snippets and spelling distance. The ground floor:
it imports no other stage."""
