package io.qemucompose.daemon.api;

import io.qemucompose.events.ProjectEvent;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Fans the daemon's events out to every open {@code GET /events} stream. Sending happens on the
 * thread that saw the event (a D-Bus or QMP reader), at once: the lag a client sees is the
 * socket's, not a polling interval's.
 */
public final class EventHub implements Consumer<ProjectEvent> {

    private final List<SseEmitter> streams = new CopyOnWriteArrayList<>();

    SseEmitter open() {
        var emitter = new SseEmitter(0L); // no timeout: the stream lasts as long as the client wants
        emitter.onCompletion(() -> streams.remove(emitter));
        emitter.onTimeout(() -> streams.remove(emitter));
        emitter.onError(e -> streams.remove(emitter));
        streams.add(emitter);
        try {
            // a comment first, so that the client sees the stream open (headers flushed) before any event
            emitter.send(SseEmitter.event().comment("qemu-compose events"));
        } catch (IOException e) {
            streams.remove(emitter);
        }
        return emitter;
    }

    @Override
    public void accept(ProjectEvent event) {
        for (SseEmitter emitter : streams) {
            try {
                emitter.send(SseEmitter.event().name(event.type()).data(event.toJson(), MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException e) {
                streams.remove(emitter); // the client left
            }
        }
    }

    int openStreams() {
        return streams.size();
    }
}
