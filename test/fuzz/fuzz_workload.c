/* fuzz_workload.c -- libFuzzer harness: workload files. */
#include "fuzz.h"
#include "workload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dse_network n;
    dse_err e = {0, ""};
    if (dse_network_load(&n, fuzz_file(data, size, "yaml"), &e) == DSE_OK) {
        (void)dse_network_macs(&n);
        dse_network_free(&n);
    }
    return 0;
}
