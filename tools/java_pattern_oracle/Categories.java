import java.util.regex.Pattern;
/**
 * Prints, for each Unicode general category named on the command line, the code point ranges that
 * Java's \p{name} matches: one line per category, "name low-high low-high ..." in hex.
 */
public final class Categories {
    public static void main(String[] args) {
        for (String name : args) {
            Pattern p = Pattern.compile("\\p{" + name + "}");
            StringBuilder out = new StringBuilder(name);
            int start = -1;
            for (int cp = 0; cp <= 0x110000; cp++) {
                boolean in = cp <= 0x10FFFF && p.matcher(new String(Character.toChars(cp))).matches();
                if (in && start < 0) start = cp;
                if (!in && start >= 0) { out.append(' ').append(Integer.toHexString(start)).append('-').append(Integer.toHexString(cp - 1)); start = -1; }
            }
            System.out.println(out);
        }
    }
}
