import io.wharf.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Times the web UI's first screen in a real headless Chromium: from the start of navigation (the page's time origin)
 * until the first page of repository rows is in the document, as the page itself measures it. Run by bench/ui.sh
 * with the test classpath (it drives Chromium through the tests' DevTools client).
 *
 *   java -cp CLASSPATH bench/UiPageBench.java URL REPS PROFILE_DIR
 *
 * Prints one line per case: case, first load (ms), median and max of the reloads (ms), rows shown.
 */
public class UiPageBench {
    /** Resolves with the time since the navigation started once rows (or the empty notice) are shown. */
    private static final String FIRST_SCREEN = """
            new Promise(resolve => {
              const done = () => document.querySelector('tr.repo, #empty');
              const tick = () => done() ? resolve([performance.now(), document.querySelectorAll('tr.repo').length])
                                        : requestAnimationFrame(tick);
              tick();
            })""";

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int reps = Integer.parseInt(args[1]);
        Path profile = Path.of(args[2]);
        Files.createDirectories(profile);
        String[][] cases = {
                {"by name", "#/"},
                {"by last push", "#/?sort=pushed"},
                {"by size", "#/?sort=size"},
                {"search", "#/?q=r0042"},
        };
        try (Chromium browser = Chromium.start(profile, 1280, 900)) {
            for (String[] c : cases) {
                List<Double> times = new ArrayList<>();
                int rows = 0;
                for (int i = 0; i <= reps; i++) {
                    browser.navigate("about:blank");
                    browser.navigate(base + "/ui/" + c[1]);
                    var r = browser.eval(FIRST_SCREEN);
                    times.add(r.get(0).asDouble());
                    rows = r.get(1).asInt();
                }
                double first = times.remove(0);
                Collections.sort(times);
                System.out.printf("%s\t%.0f\t%.0f\t%.0f\t%d%n", c[0], first, times.get(times.size() / 2),
                        times.get(times.size() - 1), rows);
            }
        }
    }
}
