/* fiber_x86_64.S - the context switch of the fiber backend (SysV x86-64).
 * hmr_ctx_switch(void **save_sp, void *new_sp): push the callee-saved registers,
 * store rsp in *save_sp, load new_sp, pop and return into the other context.
 * hmr_fiber_trampoline: first return target of a new fiber; r12 holds the C
 * entry, rbx its argument. */
#if defined(__x86_64__) && !defined(HMR_UCONTEXT)
	.text
	.globl	hmr_ctx_switch
	.type	hmr_ctx_switch, @function
hmr_ctx_switch:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size	hmr_ctx_switch, .-hmr_ctx_switch

	.globl	hmr_fiber_trampoline
	.type	hmr_fiber_trampoline, @function
hmr_fiber_trampoline:
	movq	%rbx, %rdi
	callq	*%r12
	ud2
	.size	hmr_fiber_trampoline, .-hmr_fiber_trampoline
#endif
	.section .note.GNU-stack,"",@progbits
