package dev.switchboard.gateway.sessions;

import dev.switchboard.events.CallEnded;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.SessionEvent;

import java.time.Instant;

/** What a CallEnded event said: the call is over (the session may still be closing). */
public record CallEnd(Instant at, EndReason reason, Issuer endedBy, String detail, String hangupCommandId,
                      HangupMethod method) {

    public static CallEnd of(SessionEvent event, CallEnded ended) {
        return new CallEnd(event.getOccurredAt(), ended.getReason(), ended.getEndedBy(), ended.getDetail(),
                ended.getHangupCommandId(), ended.getMethod());
    }
}
