package io.tlslens.proxy.admin;

/**
 * The admin page's markup builder and its one HTML escaper. Data goes in only through {@link #text},
 * {@link #breakable} and {@link #attr}, which escape it; {@link #raw} takes markup written in this package's
 * code, never a value. So every string that reached tlslens from a client (SNI, ALPN, evidence, summaries that quote them…) is
 * rendered as text.
 */
final class Html {
    private final StringBuilder sb = new StringBuilder(32 * 1024);

    /**
     * Escapes the five characters that can end a text node or a quoted attribute value.
     *
     * @param s any string
     * @return it, safe as element text and as a double- or single-quoted attribute value
     */
    static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (rep != null) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                out.append(rep);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    /** Appends markup written in code (tags, fixed words); never pass a value through here. */
    Html raw(String markup) {
        sb.append(markup);
        return this;
    }

    /** Appends a value as text, escaped; null shows as an em dash. */
    Html text(Object value) {
        sb.append(value == null ? "—" : escape(String.valueOf(value)));
        return this;
    }

    /** Appends a value as text, escaped, with a line-break opportunity after each underscore (long cause codes). */
    Html breakable(Object value) {
        sb.append(value == null ? "—" : escape(String.valueOf(value)).replace("_", "_<wbr>"));
        return this;
    }

    /** Appends {@code  name="value"} with the value escaped; call between an opening tag's name and its {@code >}. */
    Html attr(String name, Object value) {
        sb.append(' ').append(name).append("=\"").append(escape(String.valueOf(value))).append('"');
        return this;
    }

    /** Appends {@code <tag>value</tag>}, the value escaped. */
    Html el(String tag, Object value) {
        return raw("<" + tag + ">").text(value).raw("</" + tag + ">");
    }

    /** Appends {@code <tag class="cls">value</tag>}, the value escaped. */
    Html el(String tag, String cls, Object value) {
        return raw("<" + tag).attr("class", cls).raw(">").text(value).raw("</" + tag + ">");
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
