package io.wharf.spec;

import java.util.List;
import java.util.function.Consumer;

/** Every text over a small alphabet, for checking a hand-written scanner against the grammar it implements. */
public final class Texts {
    private Texts() {
    }

    /** Calls {@code each} with every string of length 0 to {@code maxLength} over the alphabet's characters. */
    public static void everyUpTo(String alphabet, int maxLength, Consumer<String> each) {
        everyJoinUpTo(alphabet.chars().mapToObj(c -> String.valueOf((char) c)).toList(), maxLength, each);
    }

    /** Calls {@code each} with every concatenation of 0 to {@code maxPieces} of the pieces, repeats allowed. */
    public static void everyJoinUpTo(List<String> pieces, int maxPieces, Consumer<String> each) {
        for (int count = 0; count <= maxPieces; count++) {
            int[] digits = new int[count];
            while (true) {
                StringBuilder text = new StringBuilder();
                for (int digit : digits) {
                    text.append(pieces.get(digit));
                }
                each.accept(text.toString());
                int i = count - 1;
                while (i >= 0 && ++digits[i] == pieces.size()) {
                    digits[i--] = 0;
                }
                if (i < 0) {
                    break;
                }
            }
        }
    }
}
