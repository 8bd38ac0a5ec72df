package io.tlslens.inspector.explain;

import java.util.List;
import java.util.Objects;

/**
 * What a pasted error text means.
 *
 * @param input      the text as given
 * @param matched    the title of the catalogue entry that matched, empty when the text is not recognised
 * @param means      one sentence on what the message says, empty when not recognised
 * @param candidates candidate causes, most likely first; empty when not recognised (never a guess)
 */
public record Explanation(String input, String matched, String means, List<Candidate> candidates) {
    public Explanation {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(matched, "matched");
        Objects.requireNonNull(means, "means");
        candidates = List.copyOf(candidates);
    }

    /** @return whether a catalogue entry matched */
    public boolean recognised() {
        return !candidates.isEmpty();
    }
}
