package dev.switchboard.worker.tools;

import io.smallrye.config.ConfigMapping;

import java.util.Map;

/**
 * Where the model may transfer callers, by name: {@code switchboard.transfer.destinations.billing=tel:+15550199}
 * (SWITCHBOARD_TRANSFER_DESTINATIONS_BILLING), one setting per destination. The model names a destination, never a
 * number, so it can only transfer where it is allowed; without destinations it is not offered the
 * {@code transfer_call} tool at all. The same destinations may also be listed in one setting,
 * {@code switchboard.transfer.destinations=billing=tel:+15550199,support=sip:support@pbx.example.com}
 * (SWITCHBOARD_TRANSFER_DESTINATIONS): a map cannot read that value, so {@link TransferCallTool} reads it itself.
 */
@ConfigMapping(prefix = "switchboard.transfer")
public interface TransferDestinations {
    /** The setting that lists destinations in one value, {@code name=target} entries separated by commas. */
    String LIST = "switchboard.transfer.destinations";

    Map<String, String> destinations();
}
