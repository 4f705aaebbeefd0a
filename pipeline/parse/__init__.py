"""Parse stage: a spaCy pipeline of rule components reads every fact kind.

``parse_documents`` streams ``SourceDocument``s through ``nlp.pipe`` and
yields one ``ParsedDocument`` each, in input order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pipeline.records import ParsedDocument, SourceDocument

BATCH_SIZE = 32
"""Small batches keep memory flat: spaCy's default (1000) holds far more docs than rules need."""


def parse_documents(sources: Iterable[SourceDocument]) -> Iterator[ParsedDocument]:
    """Run the rule pipeline over readable documents and collect their facts."""
    from pipeline.parse.dates import publication_date
    from pipeline.parse.nlp import build_nlp
    from pipeline.parse.title import extract_title

    nlp = build_nlp()

    def docs():
        for source in sources:
            doc = nlp.make_doc(source.text)
            doc._.published_hint = source.published_hint
            doc.user_data["source"] = source
            yield doc

    for doc in nlp.pipe(docs(), batch_size=BATCH_SIZE):
        source = doc.user_data.pop("source")
        dates = doc._.dates or []
        yield ParsedDocument(
            source=source,
            cpts=doc._.cpts or [],
            cpts_mentions=doc._.cpts_mentions or [],
            people=doc._.people or [],
            figures=doc._.figures or [],
            amounts=doc._.amounts or [],
            dates=dates,
            headcounts=doc._.headcounts or [],
            missions=doc._.missions or [],
            themes=getattr(doc._, "themes", None) or [],
            places=doc._.places or [],
            published_on=publication_date(dates) or source.published_hint,
            title=source.title or extract_title(source.text),
        )
