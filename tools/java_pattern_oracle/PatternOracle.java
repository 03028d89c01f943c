import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Answers, for each pattern, whether Pattern.compile(pattern).matcher(s).matches() for each string.
 *
 * Input lines (ASCII; text escaped as below):
 *   C text   add text to the corpus shared by every pattern
 *   P text   compile a pattern; answers "P ok <verdict per corpus string>" or "P error <message>"
 *   S text   answers "S <verdict>" for the last pattern ("-" if it did not compile)
 * A verdict is 1 (matches), 0 (does not) or x (gave up: too many steps or stack overflow).
 * Text is printable ASCII with "\\" for a backslash and "\\uXXXX" for any other UTF-16 unit, so a
 * lone surrogate arrives intact (a UTF-8 reader would replace it).
 */
public final class PatternOracle {
    private static final long STEP_LIMIT = 50_000_000L;

    /** Counts reads so that a catastrophic backtrack ends as "x" instead of hanging the run. */
    private static final class Counted implements CharSequence {
        private final String text;
        private long steps;

        Counted(String text) {
            this.text = text;
        }

        public char charAt(int index) {
            if (++steps > STEP_LIMIT) {
                throw new IllegalStateException("step limit");
            }
            return text.charAt(index);
        }

        public int length() {
            return text.length();
        }

        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        public String toString() {
            return text;
        }
    }

    static String decode(String line) {
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != '\\') {
                out.append(c);
            } else if (line.charAt(i + 1) == '\\') {
                out.append('\\');
                i += 1;
            } else if (line.charAt(i + 1) == 'u') {
                out.append((char) Integer.parseInt(line.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                throw new IllegalArgumentException("bad escape at " + i + ": " + line);
            }
        }
        return out.toString();
    }

    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    static char verdict(Pattern pattern, String text) {
        try {
            return pattern.matcher(new Counted(text)).matches() ? '1' : '0';
        } catch (IllegalStateException | StackOverflowError e) {
            return 'x';
        }
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.US_ASCII);
        out.println("J " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        List<String> corpus = new ArrayList<>();
        Pattern pattern = null;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                continue;
            }
            String text = decode(line.substring(2));
            switch (line.charAt(0)) {
                case 'C':
                    corpus.add(text);
                    break;
                case 'P':
                    try {
                        pattern = Pattern.compile(text);
                    } catch (PatternSyntaxException e) {
                        pattern = null;
                        out.println("P error " + encode(e.getDescription()));
                        break;
                    }
                    StringBuilder verdicts = new StringBuilder(corpus.size());
                    for (String s : corpus) {
                        verdicts.append(verdict(pattern, s));
                    }
                    out.println("P ok " + verdicts);
                    break;
                case 'S':
                    out.println("S " + (pattern == null ? '-' : verdict(pattern, text)));
                    break;
                default:
                    throw new IllegalArgumentException("bad line: " + line);
            }
        }
        out.flush();
    }
}
