package org.council.bench.ledger;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import org.council.crypto.NodeKeyPair;
import org.council.crypto.SignatureDomain;
import org.council.crypto.SignatureVerifier;
import org.council.ledger.event.SignedEvent;

/** The reference rates: BouncyCastle Ed25519 alone, with no store around it. */
public final class RawCrypto {

    private RawCrypto() {
    }

    /** Signs per second on one thread over 200-byte messages, after a warm-up. */
    public static double signRate(double seconds) {
        NodeKeyPair keys = NodeKeyPair.generate();
        byte[] msg = new byte[200];
        long sink = 0;
        long warmEnd = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            sink += keys.sign(SignatureDomain.LEDGER_EVENT, msg)[0];
        }
        long n = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            msg[0] = (byte) n;
            sink += keys.sign(SignatureDomain.LEDGER_EVENT, msg)[0];
            n++;
        }
        double rate = n / ((System.nanoTime() - t0) / 1e9);
        return sink == Long.MIN_VALUE ? -rate : rate;
    }

    /**
     * Verifies per second over the given events on {@code threads} threads: the same signing
     * input and the same verifier (with decoded-key cache) the store uses, nothing else. Best of
     * {@code rounds} rounds.
     */
    public static double verifyRate(List<SignedEvent> events, int threads, int rounds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            double best = 0;
            for (int round = 0; round < rounds; round++) {
                SignatureVerifier verifier = new SignatureVerifier();
                long t0 = System.nanoTime();
                List<Future<Integer>> parts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int from = events.size() * t / threads;
                    int to = events.size() * (t + 1) / threads;
                    parts.add(pool.submit(() -> {
                        int ok = 0;
                        for (int i = from; i < to; i++) {
                            SignedEvent e = events.get(i);
                            if (verifier.verifyRaw(e.author(), LedgerBench.DOMAIN.signingInput(e.payloadUnsafe()),
                                    e.signatureUnsafe())) {
                                ok++;
                            }
                        }
                        return ok;
                    }));
                }
                int ok = 0;
                for (Future<Integer> f : parts) {
                    ok += f.get();
                }
                if (ok != events.size()) {
                    throw new IllegalStateException("raw verify rejected " + (events.size() - ok) + " events");
                }
                best = Math.max(best, events.size() / ((System.nanoTime() - t0) / 1e9));
            }
            return best;
        } finally {
            pool.shutdownNow();
        }
    }
}
