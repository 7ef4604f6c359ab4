/* oracle.c - the table the lower layers call the oracles through. */
#include "oracle/oracle.h"

void hmr_oracle_reset(void)
{
	static struct hmr_oracle_ops table;
	if (!table.sleep) {
		hmr_oracle_context(&table);
		hmr_oracle_progress(&table);
		hmr_oracle_race(&table);
		hmr_oracle_data(&table);
		hmr_oracle_pkmap(&table);
		hmr_oracle_atomic(&table);
		hmr_oracle_mappings(&table);
	}
	hmr_oracle = &table;
	hmr_finding_reset();
	hmr_oracle_atomic_reset();
}
