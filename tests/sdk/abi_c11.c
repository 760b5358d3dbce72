/* Compiled as strict C11 by a test: the ABI header must stay plain, warning-free C. */
#include <ferry/abi.h>

const ferry_type_plugin_descriptor* ferry_plugin_entry(void);

static const ferry_type_sink_vtable table = {sizeof(ferry_type_sink_vtable), 0, NULL, NULL, NULL, NULL,
                                             NULL, NULL, NULL, NULL};
static const ferry_type_plugin_descriptor descriptor = {sizeof(ferry_type_plugin_descriptor),
                                                        FERRY_ABI_MAJOR,
                                                        FERRY_ABI_MINOR,
                                                        FERRY_KIND_SINK,
                                                        0,
                                                        "c11-check",
                                                        "1.0.0",
                                                        "compile check",
                                                        NULL,
                                                        0,
                                                        NULL,
                                                        0,
                                                        &table};

FERRY_PLUGIN_EXPORT const ferry_type_plugin_descriptor* ferry_plugin_entry(void) { return &descriptor; }
