// The parameterised store tests run on both backends (store_fixture.h).
#include "tests/unit/store/store_fixture.h"

namespace xmppfed::store::testing {

XMPPFED_STORE_BACKENDS(StoreTest);

}  // namespace xmppfed::store::testing
