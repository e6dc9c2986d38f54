package dev.switchboard.transcripts.format;

import dev.switchboard.transcripts.store.SessionRow;

import java.util.ArrayList;
import java.util.List;

/**
 * The phone call in words, for the text export's header: its direction, numbers and dial ("Outbound call from +1... to
 * +1..., answered by an answering machine", "Outbound call to +1..., not connected: BUSY (SIP 486 Busy Here)"), then one
 * line per transfer that was tried ("Transferred to tel:+1... at ...", "Transfer to tel:+1... at ..., not connected:
 * BUSY (SIP 486 Busy Here)"). Numbers and outcomes are labels ({@link OneLine#label}); destinations and details are
 * one line ({@link OneLine#of}).
 */
final class CallHeader {
    private CallHeader() {
    }

    static List<String> lines(SessionRow session) {
        List<String> lines = new ArrayList<>();
        String call = call(session);
        if (call != null) {
            lines.add(call);
        }
        for (SessionRow.Transfer transfer : session.transfers()) {
            lines.add(transfer(transfer));
        }
        return lines;
    }

    /** Null when there is nothing to say (no number and no dial). */
    static String call(SessionRow session) {
        SessionRow.Dial dial = session.dial();
        boolean dialled = dial != null && (dial.outcome() != null || dial.answeredBy() != null);
        if (session.callerNumber() == null && session.calleeNumber() == null && !dialled) {
            return null;
        }
        StringBuilder line = new StringBuilder(switch (session.direction() == null ? "" : session.direction()) {
            case "INBOUND" -> "Inbound call";
            case "OUTBOUND" -> "Outbound call";
            case "WEB" -> "Web call";
            default -> "Call";
        });
        if (session.callerNumber() != null) {
            line.append(" from ").append(OneLine.label(session.callerNumber()));
        }
        if (session.calleeNumber() != null) {
            line.append(" to ").append(OneLine.label(session.calleeNumber()));
        }
        if (!dialled) {
            return line.toString();
        }
        if (dial.failed()) {
            return notConnected(line, dial.outcome(), dial.sipStatusCode(), dial.sipStatus(), dial.detail());
        }
        line.append(", answered");
        switch (dial.answeredBy() == null ? "" : dial.answeredBy()) {
            case "HUMAN" -> line.append(" by a person");
            case "MACHINE" -> line.append(" by an answering machine");
            default -> {
            }
        }
        return line.toString();
    }

    static String transfer(SessionRow.Transfer transfer) {
        String to = transfer.to() == null ? "" : " to " + OneLine.of(transfer.to());
        if (transfer.transferred()) {
            return "Transferred" + to + " at " + transfer.at();
        }
        return notConnected(new StringBuilder("Transfer").append(to).append(" at ").append(transfer.at()),
                transfer.outcome(), transfer.sipStatusCode(), transfer.sipStatus(), transfer.detail());
    }

    /** "..., not connected: BUSY (SIP 486 Busy Here): detail". */
    private static String notConnected(StringBuilder line, String outcome, Integer sipStatusCode, String sipStatus, String detail) {
        line.append(", not connected: ").append(OneLine.label(outcome));
        if (sipStatusCode != null || sipStatus != null) {
            line.append(" (SIP");
            if (sipStatusCode != null) {
                line.append(' ').append(sipStatusCode);
            }
            if (sipStatus != null) {
                line.append(' ').append(OneLine.of(sipStatus));
            }
            line.append(')');
        }
        if (detail != null) {
            line.append(": ").append(OneLine.of(detail));
        }
        return line.toString();
    }
}
