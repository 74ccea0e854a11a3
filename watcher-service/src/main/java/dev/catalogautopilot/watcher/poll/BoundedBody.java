package dev.catalogautopilot.watcher.poll;

import java.io.IOException;
import java.io.InputStream;

/** Reads an upstream body, refusing to hold more than a configured number of bytes. */
public final class BoundedBody {

    private BoundedBody() {
    }

    public static byte[] read(InputStream in, long maxBytes, String what) {
        try (in) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw UpstreamException.badResponse(what + " is larger than the limit of " + maxBytes + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw UpstreamException.transientFailure(what + ": " + e.getMessage(), e);
        }
    }
}
