/* fuzz_mapping.c -- libFuzzer harness: mapping files (sparsedse traffic) and their counts. */
#include "fuzz.h"
#include "mapping.h"
#include "traffic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dse_mapfile f;
    dse_err e = {0, ""};
    if (dse_mapfile_load(&f, fuzz_file(data, size, "yaml"), &e) == DSE_OK) {
        dse_traffic t;
        dse_traffic_dense(&f.pb, &f.map, f.core.bits, f.core.acc_bits, &t);
        for (int i = 0; i < 2; i++) dse_traffic_encode(&t, (dse_tensor)i, &f.enc[i]);
    }
    return 0;
}
