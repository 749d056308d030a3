// The console's pages. Paths of items match common/consoleLinks.ts (links in
// e-mails); pages marked public need no sign-in.
import { createRouter, createWebHistory } from 'vue-router';
import { whenUnauthorized } from './api/client';
import { loadSession, refreshTodoCount, signedOut } from './session';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', component: () => import('./pages/LoginPage.vue'), meta: { public: true, title: '登录' } },
    { path: '/vote/:id', component: () => import('./pages/PublicVotePage.vue'), meta: { public: true, title: '创新改革经验网络投票' } },
    { path: '/cycles/:month/briefing', component: () => import('./pages/BriefingPrintPage.vue'), meta: { title: '督导情况通报' } },
    {
      path: '/',
      component: () => import('./components/ConsoleLayout.vue'),
      children: [
        { path: '', redirect: '/todo' },
        { path: 'todo', component: () => import('./pages/TodoPage.vue'), meta: { title: '我的待办' } },
        { path: 'documents', component: () => import('./pages/DocumentsPage.vue'), meta: { title: '上级文件' } },
        { path: 'documents/:id', component: () => import('./pages/DocumentPage.vue'), meta: { title: '文件办理' } },
        { path: 'cycles', component: () => import('./pages/CyclesPage.vue'), meta: { title: '月度督查' } },
        { path: 'cycles/:month', component: () => import('./pages/CyclePage.vue'), meta: { title: '月度督查' } },
        { path: 'innovation', component: () => import('./pages/InnovationPage.vue'), meta: { title: '创新经验' } },
        { path: 'innovation/selections/:id', component: () => import('./pages/SelectionPage.vue'), meta: { title: '经验评选' } },
        { path: 'innovation/rollouts/:id', component: () => import('./pages/RolloutPage.vue'), meta: { title: '经验推广' } },
        { path: 'exploration', component: () => import('./pages/ExplorationsPage.vue'), meta: { title: '探索创新' } },
        { path: 'exploration/:year', component: () => import('./pages/ExplorationPage.vue'), meta: { title: '探索创新改革事项' } },
        { path: 'meetings', component: () => import('./pages/MeetingsPage.vue'), meta: { title: '第一议题' } },
        { path: 'meetings/:id', component: () => import('./pages/MeetingPage.vue'), meta: { title: '上级会议传达学习' } },
        { path: 'evaluations', component: () => import('./pages/EvaluationsPage.vue'), meta: { title: '年度评估' } },
        { path: 'evaluations/:year', component: () => import('./pages/EvaluationPage.vue'), meta: { title: '年度评估' } },
        { path: 'pilots', component: () => import('./pages/PilotsPage.vue'), meta: { title: '改革试点' } },
        { path: 'pilots/:id', component: () => import('./pages/PilotPage.vue'), meta: { title: '改革试点' } },
        { path: 'pilot-seeking', component: () => import('./pages/PilotSeekingsPage.vue'), meta: { title: '争取试点' } },
        { path: 'pilot-seeking/:quarter', component: () => import('./pages/PilotSeekingPage.vue'), meta: { title: '争取试点' } },
        { path: 'duties', component: () => import('./pages/DutiesListPage.vue'), meta: { title: '常态化工作' } },
        { path: 'duties/:year', component: () => import('./pages/DutiesPage.vue'), meta: { title: '常态化工作' } },
        { path: 'site-masters', component: () => import('./pages/SiteMastersPage.vue'), meta: { title: '平台站长' } },
        { path: 'admin', component: () => import('./pages/AdminPage.vue'), meta: { title: '管理' } },
        { path: 'admin/timeline/:workflowId', component: () => import('./pages/TimelinePage.vue'), meta: { title: '流程时间线' } },
        { path: ':rest(.*)*', component: () => import('./pages/NotFoundPage.vue'), meta: { title: '页面不存在' } },
      ],
    },
  ],
});

router.beforeEach(async (to) => {
  document.title = `${(to.meta.title as string | undefined) ?? '督办系统'} · 督办系统`;
  if (to.meta.public) return true;
  if (!(await loadSession())) return { path: '/login', query: { next: to.fullPath } };
  void refreshTodoCount();
  return true;
});

whenUnauthorized(() => {
  signedOut();
  const here = router.currentRoute.value;
  if (!here.meta.public) void router.push({ path: '/login', query: { next: here.fullPath } });
});
