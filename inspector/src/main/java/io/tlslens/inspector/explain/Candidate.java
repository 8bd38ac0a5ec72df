package io.tlslens.inspector.explain;

import io.tlslens.inspector.diagnosis.Cause;

import java.util.List;
import java.util.Objects;

/**
 * One candidate cause for a pasted error text.
 *
 * @param cause  the taxonomy cause
 * @param why    when this cause holds, and what tells it apart from the other candidates
 * @param checks commands that decide it ({@code tlslens probe HOST:PORT}, {@code openssl s_client …}); at least one
 */
public record Candidate(Cause cause, String why, List<String> checks) {
    public Candidate {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(why, "why");
        checks = List.copyOf(checks);
    }
}
