/* restore.c - appended to build/ksrc/table.c (make ksrc): put every static of
 * the compiled copies back to its boot value before an execution. wrap.c
 * keeps them in two sections; the linker names their bounds. */
#include <stdint.h>
#include <string.h>

extern char __start_hmr_ksrc_bss[], __stop_hmr_ksrc_bss[];
extern char __start_hmr_ksrc_data[], __stop_hmr_ksrc_data[];
static char boot_data[1 << 16];

void hmr_ksrc_restore_statics(void);
void hmr_ksrc_restore_statics(void)
{
	static int saved;
	/* as integers: subtracting pointers to two different objects is undefined */
	size_t n = (size_t)((uintptr_t)__stop_hmr_ksrc_data - (uintptr_t)__start_hmr_ksrc_data);

	if (n > sizeof(boot_data))
		__builtin_trap();	/* grow boot_data: the copies' data outgrew it */
	if (!saved)
		memcpy(boot_data, __start_hmr_ksrc_data, n), saved = 1;
	memcpy(__start_hmr_ksrc_data, boot_data, n);
	memset(__start_hmr_ksrc_bss, 0, (size_t)((uintptr_t)__stop_hmr_ksrc_bss - (uintptr_t)__start_hmr_ksrc_bss));
}
