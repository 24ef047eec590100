package io.wharf.http;

import io.wharf.spec.RepositoryName;

/**
 * What an upload's {@code Location} carries in its {@code _state} query parameter, as Distribution writes it: the
 * repository, the upload's UUID, the bytes received and when the upload started. Wharf does not need it (an
 * upload's state is in storage, where every instance finds it); it is carried so that Distribution instances behind
 * the same load balancer, with the same {@code http.secret}, can continue an upload Wharf started, and so that a
 * state altered on the way is refused as Distribution refuses it.
 *
 * @param name the repository the upload belongs to
 * @param uuid the upload's id
 * @param offset bytes received when the state was issued
 * @param startedAt the start time as RFC 3339 text, passed on unchanged from the state that came in
 */
record UploadState(String name, String uuid, long offset, String startedAt) {
    /** True when this state was issued for {@code uuid} in {@code repo}. */
    boolean names(RepositoryName repo, String uuid) {
        return name.equals(repo.value()) && this.uuid.equals(uuid);
    }
}
