package dev.farad.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Records the buffer leaks Netty's leak detector reports, so a test fixture can fail the test that
 * leaked instead of only logging. Netty finds a leak when the garbage collector clears an
 * unreleased buffer, so {@link #collect()} runs the collector and gives the detector a chance to
 * report; a leak can still be reported a little late, never falsely.
 *
 * <p>Thread-safe.
 */
final class LeakRecorder {
    private static final List<String> LEAKS = new ArrayList<>();
    private static boolean installed;

    private LeakRecorder() {}

    /** Installs the recording detector once per JVM (before the first buffer is allocated). */
    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                    long maxActive) {
                return new ResourceLeakDetector<T>(resource, samplingInterval, maxActive) {
                    @Override
                    protected void reportTracedLeak(String resourceType, String records) {
                        record(resourceType + " leaked:" + records);
                        super.reportTracedLeak(resourceType, records);
                    }

                    @Override
                    protected void reportUntracedLeak(String resourceType) {
                        record(resourceType + " leaked (enable paranoid leak detection for where)");
                        super.reportUntracedLeak(resourceType);
                    }
                };
            }
        });
    }

    private static synchronized void record(String leak) {
        LEAKS.add(leak);
    }

    /** Leaks reported so far. */
    static synchronized int count() {
        return LEAKS.size();
    }

    /** The leaks reported after the first {@code from}. */
    static synchronized List<String> since(int from) {
        return new ArrayList<>(LEAKS.subList(from, LEAKS.size()));
    }

    /** Runs the collector and allocates a few tracked buffers so pending leak reports are made. */
    static void collect() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            System.runFinalization();
            for (int j = 0; j < 64; j++) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                b.release();
            }
        }
    }
}
