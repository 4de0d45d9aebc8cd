package org.council.api.ollama;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.council.api.http.LocalHosts;
import org.council.api.http.Origins;

/**
 * Who may use the Ollama-compatible endpoint: the address it is bound to (a loopback bind makes
 * it check {@code Host} against DNS rebinding), the browser origins beyond this machine's own that
 * may call it, and an optional bearer token. Immutable.
 *
 * @param bindHost the address the endpoint listens on
 * @param origins  the allowed browser origins (this machine's own are always among them)
 * @param token    the bearer token every request must carry, or empty for none
 */
public record OllamaAccess(String bindHost, Origins origins, Optional<String> token) {

    public OllamaAccess {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(origins, "origins");
        Objects.requireNonNull(token, "token");
    }

    /** Bound to loopback, this machine's origins only, no token: what the node does by default. */
    public static OllamaAccess loopback() {
        return new OllamaAccess("127.0.0.1", Origins.of(List.of()), Optional.empty());
    }

    @Override
    public String toString() {
        return "OllamaAccess[bindHost=" + bindHost + ", origins=" + origins.extra() + ", token="
                + (token.isPresent() ? "(hidden)" : "(none)") + "]";
    }

    /** Whether the endpoint is reachable only from this machine (a token is optional only then). */
    public boolean loopbackOnly() {
        return LocalHosts.isLoopback(bindHost);
    }
}
