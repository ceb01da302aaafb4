"""The dependency parser's share of bare spaCy: the most that "the parser only where it is needed" can save.

    python -m benchmarks.parser_share [--data FILE.csv ...] [--limit N] [--rounds R]

Issue 11 asks the whole ``process`` path to run at least as fast as bare ``nlp.pipe`` of the same
model. Skipping the parser is the only part of spaCy's own work sitroom could leave out (entities,
places and time need the tagger and the recogniser everywhere), so its share of bare ``nlp.pipe`` is
the ceiling of that saving. This script times, alternated in the same run and in CPU seconds of
this one process, bare ``nlp.pipe`` of the model as shipped and the same model with the parser
excluded and the statistical sentence splitter (``senter``, shipped disabled) enabled instead, over
the same cleaned FNC-1 bodies. The last line is one JSON object of the metrics.
"""

from __future__ import annotations

import statistics
import time

from benchmarks.common import fnc_bodies_parser, machine, print_metrics
from benchmarks.nlp_throughput import load_documents


def main(argv: list[str] | None = None) -> None:
    parser = fnc_bodies_parser(__doc__)
    parser.add_argument("--limit", type=int, default=100, help="Use only the first N articles.")
    parser.add_argument("--rounds", type=int, default=3, help="Alternated rounds of each.")
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args(argv)

    import spacy

    from sitroom.pipeline import load_spacy

    texts = [d.text for d in load_documents(args.data, args.limit)]
    shipped = load_spacy(stock=True)  # the model sitroom runs, as spaCy ships it
    no_parser = spacy.load(shipped.meta["lang"] + "_" + shipped.meta["name"], exclude=["parser"])
    no_parser.enable_pipe("senter")
    for nlp in (shipped, no_parser):  # warm lazy loads
        list(nlp.pipe(texts[:8]))

    def cpu_ms_per_doc(nlp) -> float:
        start = time.process_time()
        for _ in nlp.pipe(texts, batch_size=args.batch_size):
            pass
        return (time.process_time() - start) / len(texts) * 1000

    with_parser, without = [], []
    for _ in range(args.rounds):
        with_parser.append(cpu_ms_per_doc(shipped))
        without.append(cpu_ms_per_doc(no_parser))
    full, lean = statistics.median(with_parser), statistics.median(without)
    metrics = {
        "articles": len(texts),
        "bare_ms_per_doc": round(full, 1),
        "senter_instead_of_parser_ms_per_doc": round(lean, 1),
        "parser_share": round((full - lean) / full, 3),
    }
    print(f"machine: {machine()}; {len(texts)} articles, {args.rounds} alternated rounds, CPU ms per article")
    print(f"bare nlp.pipe ({', '.join(shipped.pipe_names)}): median {full:.1f} ms")
    print(f"parser excluded, senter enabled: median {lean:.1f} ms")
    print(f"the parser's share of bare spaCy: {metrics['parser_share']:.1%}")
    print_metrics(metrics)


if __name__ == "__main__":
    main()
