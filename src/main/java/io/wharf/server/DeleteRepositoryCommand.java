package io.wharf.server;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf delete-repository --url URL NAME}: deletes a whole repository through a running server. */
@Command(name = "delete-repository", mixinStandardHelpOptions = true,
        description = "Delete a repository with all its tags and manifests (DELETE /admin/repositories/NAME); "
                + "blobs are freed by the next garbage collection.")
final class DeleteRepositoryCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "The server, e.g. http://localhost:5000")
    String url;
    @Parameters(index = "0", paramLabel = "NAME", description = "Repository name, e.g. team/app")
    String name;

    @Override
    public Integer call() throws Exception {
        AdminClient.Answer answer = new AdminClient(url).deleteRepository(name);
        if (!answer.ok()) {
            System.err.println("wharf: the server answered " + answer.status() + ": " + answer.body());
            return 1;
        }
        System.out.println("deleted repository " + name);
        return 0;
    }
}
