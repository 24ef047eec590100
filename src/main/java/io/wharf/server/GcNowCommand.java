package io.wharf.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf gc-now --url URL}: asks a running server to collect garbage online, now. */
@Command(name = "gc-now", mixinStandardHelpOptions = true,
        description = "Run garbage collection inside a running server (POST /admin/gc) and print its summary.")
final class GcNowCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "The server, e.g. http://localhost:5000")
    String url;
    @Option(names = {"-d", "--dry-run"}, description = "Only report what would be deleted.")
    boolean dryRun;
    @Option(names = {"-m", "--delete-untagged"}, arity = "0..1", fallbackValue = "true",
            description = "Delete untagged manifests (default: the server's gc.deleteuntagged).")
    Boolean deleteUntagged;

    @Override
    public Integer call() throws Exception {
        return print(new AdminClient(url).gc(dryRun, deleteUntagged));
    }

    /** Prints a GC answer: the lists and the summary, or the error; 0 on success. */
    static int print(AdminClient.Answer answer) throws Exception {
        if (!answer.ok()) {
            System.err.println("wharf: the server answered " + answer.status() + ": " + answer.body());
            return 1;
        }
        JsonNode report = new ObjectMapper().readTree(answer.body());
        String verb = report.path("dryRun").asBoolean() ? "eligible for deletion" : "deleted";
        report.path("tagsRemoved").forEach(t -> System.out.println("tag removed by retention: " + t.asText()));
        report.path("manifestsDeleted").forEach(m -> System.out.println("manifest " + verb + ": " + m.asText()));
        report.path("blobsDeleted").forEach(b -> System.out.println("blob " + verb + ": " + b.asText()));
        report.path("repositoriesRemoved").forEach(r -> System.out.println("repository removed (empty): " + r.asText()));
        System.out.println(report.path("summary").asText());
        return 0;
    }
}
