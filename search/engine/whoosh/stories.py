"""The story of a document, found through the `story` field's band terms
(the method: `text.shingles`)."""

from __future__ import annotations

from functools import lru_cache

from whoosh.searching import Searcher

from ...model import Member
from ...text.shingles import MIN_SHINGLES, SAME_STORY, bands_of, overlap, shingles


class Stories:
    """Finds the story of a document in an open index; caches what it reads."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self._shingles = lru_cache(maxsize=4096)(self._read_shingles)

    def _read_shingles(self, docnum: int) -> frozenset[int]:
        return shingles(self.searcher.stored_fields(docnum).get("body", ""))

    def _neighbours(self, docnum: int) -> set[int]:
        """Documents sharing a band with `docnum` and enough of its shingles."""
        own = self._shingles(docnum)
        if len(own) < MIN_SHINGLES:
            return set()
        reader = self.searcher.reader()
        candidates: set[int] = set()
        for term in bands_of(own):
            if ("story", term) in reader:
                candidates.update(reader.postings("story", term).all_ids())
        candidates.discard(docnum)
        return {n for n in candidates if not reader.is_deleted(n) and overlap(own, self._shingles(n)) >= SAME_STORY}

    def story(self, docnum: int) -> list[int]:
        """The documents of `docnum`'s story, itself included, in order of number."""
        return sorted(self._neighbours(docnum) | {docnum})

    def members(self, docnum: int) -> list[tuple[int, Member]]:
        """The story of `docnum` as listed, each member with its number:
        oldest first, undated last."""
        own = self._shingles(docnum)
        members = []
        for n in self.story(docnum):
            fields = self.searcher.stored_fields(n)
            members.append(
                (
                    n,
                    Member(
                        doc_id=fields["id"],
                        title=fields.get("title") or None,
                        date=fields.get("date_text"),
                        outlet=fields.get("outlet_name"),
                        similarity=1.0 if n == docnum else round(overlap(own, self._shingles(n)), 3),
                    ),
                )
            )
        return sorted(members, key=lambda pair: (pair[1].date is None, pair[1].date or "", pair[1].doc_id))
