//! The translation layer: every visible string is a key with a Chinese (primary) and an
//! English text, checked at compile time. The chosen language is remembered per browser.

use crate::api::Failure;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    Zh,
    En,
}

impl Locale {
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Zh => "zh-CN",
            Locale::En => "en",
        }
    }
    pub fn from_tag(tag: &str) -> Locale {
        if tag.starts_with("en") {
            Locale::En
        } else {
            Locale::Zh
        }
    }
}

macro_rules! catalogue {
    ($($key:ident => $zh:expr, $en:expr;)*) => {
        /// A message: its Chinese (primary) and English text, by reference. Each is a
        /// constant of its own (`K::SignIn`) rather than a variant looked up in one table, so
        /// a build keeps only the texts its code uses (the reader, `src/reader.rs`, few).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct K(&'static [&'static str; 2]);

        #[allow(non_upper_case_globals)]
        impl K {
            $(pub const $key: K = K(&[$zh, $en]);)*
        }

        #[cfg(test)]
        const ALL: &[K] = &[$(K::$key),*];
    };
}

pub fn text(locale: Locale, key: K) -> &'static str {
    match locale {
        Locale::Zh => key.0[0],
        Locale::En => key.0[1],
    }
}

catalogue! {
    AppName => "议事", "Yishi";
    SkipToContent => "跳到主要内容", "Skip to main content";
    MainNav => "主导航", "Main navigation";
    NavHome => "首页", "Home";
    NavConsultations => "远程协商", "Consultations";
    NavMicro => "微协商", "Micro-consultations";
    NavReading => "委员读书", "Reading groups";
    NavMyActivity => "我的履职", "My activity";
    NavAdmin => "管理", "Admin";
    SignIn => "登录", "Sign in";
    SignOut => "退出登录", "Sign out";
    OtherLanguage => "English", "中文";
    SwitchLanguage => "切换语言", "Switch language";
    TextSize => "字号", "Text size";
    TextStandard => "标准", "Standard";
    TextLarge => "大", "Large";
    TextXLarge => "特大", "Extra large";
    Loading => "正在加载…", "Loading…";
    Retry => "重试", "Try again";
    Saving => "正在保存…", "Saving…";
    Saved => "已保存。", "Saved.";
    Save => "保存", "Save";
    Cancel => "取消", "Cancel";
    Edit => "编辑", "Edit";
    Delete => "删除", "Delete";
    ConfirmDelete => "确认删除", "Confirm delete";
    Add => "添加", "Add";
    NoneOption => "（无）", "(none)";
    NotSet => "未填写", "Not set";
    ErrNetwork => "无法连接服务器，请检查网络后重试。", "Cannot reach the server. Check your connection and try again.";
    ErrGeneric => "出现了问题，请稍后重试。", "Something went wrong. Please try again later.";
    ErrUnauthenticated => "登录已过期，请重新登录。", "Your session has ended. Please sign in again.";
    ErrForbidden => "您没有权限进行此操作。", "You do not have permission to do this.";
    ErrCsrf => "页面已过期，请刷新页面后重试。", "This page is out of date. Reload it and try again.";
    ErrNotFound => "未找到您要的内容，可能已被删除。", "Not found. It may have been removed.";
    ErrRateLimited => "尝试次数过多，请稍后再试。", "Too many attempts. Please wait a while and try again.";
    ErrInvalidCredentials => "用户名、手机号或密码不正确。", "Wrong username, phone number or password.";
    ErrAccountDisabled => "该账号已停用，请联系政协机关。", "This account has been deactivated. Contact the committee office.";
    ErrPasswordChangeRequired => "请先修改初始密码。", "Please change your one-time password first.";
    ErrValidation => "请修改标出的内容后再提交。", "Please correct the marked fields and submit again.";
    ErrConflict => "该内容已存在或已被他人修改，请刷新后重试。", "This already exists or was changed by someone else. Reload and try again.";
    ErrInUse => "仍有账号属于该项，不能删除。", "Accounts still belong to this; it cannot be deleted.";
    ErrImportHasErrors => "文件中有错误的行，未导入任何账号。", "Some rows have errors; nothing was imported.";
    ErrUnavailable => "服务繁忙，请稍后重试。", "The service is busy. Please try again shortly.";
    ErrPayloadTooLarge => "内容太大，无法提交。", "This is too large to send.";
    ErrEditWindowClosed => "发布已超过 24 小时，不能再修改。", "Posts can only be edited for 24 hours after posting.";
    AddBook => "添加书目", "Add a book";
    AddGroupMember => "添加成员（按姓名或用户名查找）", "Add a member (find by name or username)";
    AddPeriod => "添加读书期", "Add a reading period";
    AllPosts => "全部帖子", "All posts";
    BackToGroup => "返回读书群", "Back to the group";
    BookAuthor => "作者", "Author";
    BookChapters => "章节", "Chapters";
    BookChaptersHint => "每行一章，按顺序填写。", "One chapter per line, in order.";
    BookPublisher => "出版社", "Publisher";
    BookTitle => "书名", "Title";
    BookYear => "出版年份", "Year published";
    Books => "书目", "Books";
    CatalogueFirst => "请先添加读书期和书目，再新建读书群。", "Add a reading period and a book first, then create the group.";
    Chapter => "章节", "Chapter";
    ChapterCount => "共 {n} 章", "{n} chapters";
    ChaptersDone => "已读 {done} / {total} 章", "{done} of {total} chapters read";
    CheckIn => "打卡", "Check in";
    ChooseOne => "请选择", "Choose one";
    CloseGroup => "结束读书群", "Close the group";
    ConfirmDeletePost => "确定删除这条帖子吗？", "Delete this post?";
    ContinueReading => "从上次读到的地方继续", "Continue where I left off";
    DeletePost => "删除", "Delete";
    EarlierPosts => "查看更早的帖子", "Earlier posts";
    EditGroup => "编辑读书群", "Edit the group";
    EditPost => "修改", "Edit";
    EditWindowHint => "发布后 24 小时内可以修改，修改后显示“已编辑”。", "Posts can be edited for 24 hours; edited posts are marked.";
    Edited => "已编辑", "edited";
    EndsOn => "结束日期", "Ends on";
    Featured => "精华", "Featured";
    FeaturedOnly => "只看精华", "Featured only";
    FindLeader => "添加领读人", "Add a reading leader";
    FindOwner => "选择群主", "Choose the group owner";
    GroupBooks => "共读书目", "Books";
    GroupClosedNotice => "本读书群已结束，内容只能阅读。", "This group has closed; it can be read but not posted in.";
    GroupCompletion => "全群完成度：{n}%", "Group completion: {n}%";
    GroupName => "读书群名称", "Group name";
    GroupPeople => "成员与阅读进度", "Members and progress";
    GroupTheme => "主题", "Theme";
    JoinGroup => "加入读书群", "Join the group";
    JumpToNewest => "跳到最新", "Jump to newest";
    LaterPosts => "查看更新的帖子", "Later posts";
    LeaveGroup => "退出读书群", "Leave the group";
    MarkFeatured => "设为精华", "Mark as featured";
    MarkdownHint => "支持 Markdown：**加粗**、列表、链接。", "Markdown works: **bold**, lists, links.";
    MembersAndPosts => "{m} 位成员 · {p} 条帖子", "{m} members · {p} posts";
    MyGroupsOnly => "只看我加入的", "Only my groups";
    MyProgress => "我的进度：已读 {done} / {total} 章", "My progress: {done} of {total} chapters";
    NewReadingGroup => "新建读书群", "New reading group";
    NoBooks => "还没有书目。", "No books yet.";
    NoChapter => "不指定章节", "No particular chapter";
    NoFeaturedPosts => "还没有精华帖。", "No featured posts yet.";
    NoPeriods => "还没有读书期。", "No reading periods yet.";
    NoReadingGroups => "没有符合条件的读书群。", "No reading groups match.";
    NoReadingPosts => "还没有帖子，欢迎发表第一篇心得。", "No posts yet: write the first reflection.";
    OpenGroup => "开放读书群", "Open the group";
    PageN => "，第 {n} 页", ", page {n}";
    PeriodName => "读书期名称", "Period name";
    Permalink => "链接", "Link";
    PlanHint => "填写每章在第几周阅读；留空的章节不列入计划。", "Enter the week each chapter is read in; blank chapters are left out of the plan.";
    PostBody => "正文", "Text";
    PostKindGuide => "导读", "Guide";
    PostKindNote => "笔记", "Note";
    PostKindReflection => "心得", "Reflection";
    PostRemoved => "此帖已被作者删除。", "This post was removed by its author.";
    Publish => "发表", "Publish";
    QuotePage => "页码", "Page";
    QuoteText => "摘录原文", "Quoted passage";
    ReadingCatalogue => "读书期与书目", "Reading periods and books";
    ReadingPeriod => "读书期", "Reading period";
    ReadingPeriods => "读书期", "Reading periods";
    ReadingPlan => "阅读计划", "Reading plan";
    ReadingPostTitle => "读书交流", "Reading post";
    ReadingGroupTitle => "读书群", "Reading group";
    ReplyAction => "回复", "Reply";
    RgClosed => "已结束", "Closed";
    RgOpen => "进行中", "Open";
    RgUpcoming => "即将开始", "Upcoming";
    RoleGroupMember => "成员", "Member";
    RoleLeader => "领读人", "Reading leader";
    RoleOwner => "群主", "Owner";
    SaveEdit => "保存修改", "Save";
    SaveGroup => "保存读书群", "Save the group";
    ShowPosts => "显示", "Show";
    SignInToJoin => "登录后加入", "Sign in to join";
    StartsOn => "开始日期", "Starts on";
    Unfeature => "取消精华", "Remove featured mark";
    UnreadN => "{n} 条未读", "{n} unread";
    UploadCover => "上传封面（图片，不超过 2 MB）", "Upload a cover (image, at most 2 MB)";
    Week => "周次", "Week";
    WeekN => "第 {n} 周", "Week {n}";
    WritePost => "发表读书交流", "Write a post";
    YourReply => "您的回复", "Your reply";
    ActInspection => "视察", "Inspection";
    ActOther => "其他履职活动", "Other duty";
    ActPlenary => "全体会议", "Plenary session";
    ActStandingCommittee => "常委会议及其他会议", "Standing committee or other meeting";
    ActSurvey => "调研", "Survey";
    ActTraining => "学习培训", "Training";
    ActivityKindLabel => "活动类别", "Kind of activity";
    ActivityTitle => "活动名称", "Title";
    AddActivity => "登记活动", "Record the activity";
    AllMembersExpected => "不选择则全体委员均为应到；登记后在活动页勾选实到人员。", "Name no one and every active member is expected; tick who attended on the activity's page.";
    ExpectedMembers => "应到委员", "Members expected";
    AddExpectedMember => "添加应到委员", "Add a member";
    AllSectors => "全部界别", "All sectors";
    ApproveLeave => "准假", "Approve leave";
    AskLeave => "请假", "Ask for leave";
    AttendanceHint => "未勾选的应到委员：已准假的按请假计分，其余按缺席计分。再次保存可以更正，更正会写入冲抵记录。", "Members not ticked score as approved leave or as absent. Saving again corrects; corrections are written as compensating rows.";
    AttendanceNotRecorded => "未登记出席", "Attendance not recorded";
    AttendanceRecorded => "已登记出席", "Attendance recorded";
    AttendanceSaved => "出席情况已保存，积分已更新。", "Attendance saved; points updated.";
    AttendanceSheet => "出席登记（勾选实到委员）", "Attendance (tick who attended)";
    Attended => "已出席", "Attended";
    CatActivities => "视察调研", "Inspections and surveys";
    CatMeetings => "参加会议", "Meetings";
    CatMicro => "微协商微建议", "Micro-consultations";
    CatReading => "委员读书", "Reading";
    CatSpeeches => "发言提问", "Speeches and questions";
    ChangeRule => "修改计分规则", "Change a rule";
    DutyActivities => "线下履职活动", "Offline duties";
    DutyActivitiesHint => "登记全体会议、常委会议、视察、调研、培训等线下活动，处理请假，登记出席。", "Record plenary sessions, meetings, inspections, surveys and training; decide leave; record attendance.";
    DutyCategoryLabel => "类别", "Category";
    DutyOverview => "履职档案", "Duty records";
    DutyOverviewHint => "全体委员的年度积分与等次：优秀 ≥90，良好 80–89，称职 60–79，不称职 <60。", "Every member's points and grade for the year: excellent ≥90, good 80–89, competent 60–79, not competent <60.";
    DutyRecordTitle => "履职档案", "Duty record";
    DutyRows => "积分明细", "Points";
    DutyRules => "计分规则", "Point rules";
    DutyRulesHint => "每项来源的分值、年度上限和生效日期。修改从生效日期起适用，已记的积分不变。", "Points, yearly cap and start date of each source. A change applies from its date; points already written stay.";
    DutySourceLabel => "来源", "Source";
    DutyWhat => "事项", "What";
    EffectiveFrom => "生效日期", "Effective from";
    ExpectedActivities => "应参加的线下活动", "Activities you are expected at";
    Grade => "等次", "Grade";
    GradeCompetent => "称职", "Competent";
    GradeExcellent => "优秀", "Excellent";
    GradeGood => "良好", "Good";
    GradeNotCompetent => "不称职", "Not competent";
    HalfDays => "会期（半天数）", "Half-days";
    HalfDaysN => "{n} 个半天", "{n} half-days";
    HeldOn => "日期", "Date";
    LeaveApproved => "已准假", "Leave approved";
    LeaveReason => "请假事由", "Reason for leave";
    LeaveRefused => "未准假", "Leave refused";
    LeaveRequested => "已请假，待审批", "Leave requested";
    LeaveRequestsN => "{n} 人请假待批", "{n} leave requests";
    NewActivity => "登记线下活动", "New activity";
    NoActivities => "这一年还没有登记的线下活动。", "No activities recorded for this year.";
    NoDutyRows => "这一年还没有积分记录。", "No points this year yet.";
    NoExpectedActivities => "暂无需要参加的线下活动。", "No activities for you at the moment.";
    NoMembersMatch => "没有符合条件的委员。", "No members match.";
    NotAttended => "未出席", "Did not attend";
    Points => "积分", "Points";
    PointsN => "{n} 分", "{n} points";
    PointsPerUnit => "每次分值", "Points per unit";
    Print => "打印", "Print";
    RefuseLeave => "不准假", "Refuse leave";
    Reversal => "冲抵", "Reversal";
    SaveAttendance => "保存出席情况", "Save attendance";
    SaveRule => "保存规则", "Save the rule";
    SortBy => "排序", "Sort by";
    SortByName => "按姓名", "Name";
    SortByPoints => "按积分", "Points";
    SrcAbsence => "无故缺席", "Absence without leave";
    SrcConsultationJoined => "参加协商", "Took part in a consultation";
    SrcInspection => "视察", "Inspection";
    SrcLeaveApproved => "请假", "Approved leave";
    SrcMeeting => "参加会议", "Meeting";
    SrcMicroSuggestionAccepted => "微建议被采纳", "Micro-suggestion accepted";
    SrcMicroTakingPart => "参加微协商", "Took part in a micro-consultation";
    SrcOtherActivity => "其他履职活动", "Other duty";
    SrcPlenary => "全体会议（每半天）", "Plenary session (per half-day)";
    SrcQuestion => "提问", "Question";
    SrcReadingFeatured => "读书帖子获评精华", "Featured reading post";
    SrcReadingPlanFinished => "完成读书计划", "Finished a reading plan";
    SrcReadingReflection => "读书心得", "Reading reflection";
    SrcSpeech => "发言", "Speech";
    SrcSurvey => "调研", "Survey";
    SrcTraining => "学习培训", "Training";
    SrcWrittenSpeech => "书面发言", "Written speech";
    TickAll => "全部勾选", "Tick all";
    TickNone => "全部取消", "Untick all";
    YearlyCap => "年度上限", "Yearly cap";
    CapHint => "留空表示不设上限。", "Leave blank for no cap.";
    RuleUnitLabel => "计分单位", "Per";
    UnitEach => "每次", "each";
    UnitHalfDay => "每半天", "half-day";
    SendReplyPost => "发送回复", "Send the reply";
    AllReplies => "查看全部回复", "All replies";
    ReadingDiscussion => "读书交流", "Discussion";
    ReadingPostKind => "帖子类型", "Kind of post";
    FieldRequired => "必填", "Required";
    FieldTooLong => "太长", "Too long";
    FieldTooShort => "太短", "Too short";
    FieldInvalid => "格式不正确", "Not valid";
    FieldTaken => "已被使用", "Already in use";
    FieldUnknown => "不存在", "Does not exist";
    FieldWrong => "不正确", "Not correct";
    FieldSameAsOld => "不能与原密码相同", "Must differ from the current password";
    FileUnknownColumn => "文件含有无法识别的列名", "The file has a column name that is not recognised";
    FileMissingColumn => "文件缺少必需的列：用户名、姓名、角色", "The file lacks a required column: username, display_name, role";
    FileTooManyRows => "行数太多，请分批导入（每次最多 5000 行）", "Too many rows; import at most 5000 at a time";
    FileUnreadable => "无法读取文件的第一行（列名）", "The first line (column names) cannot be read";
    HomeTitle => "在线协商议政平台", "Online deliberation platform";
    HomeIntro => "委员、政府部门和社会公众在这里参与远程协商、微协商和委员读书活动。", "Members, government departments and the public take part here in remote consultations, micro-consultations and reading groups.";
    StatMembers => "位委员", "members";
    StatSectors => "个界别", "sectors";
    StatWorkstations => "个委员工作站", "member workstations";
    OpenNow => "正在进行", "Open now";
    OpenNowEmpty => "目前没有正在进行的协商或读书活动。新活动发布后会显示在这里。", "Nothing is open right now. New activities will appear here when they are published.";
    Closes => "截止时间", "Closes";
    AreaConsultationsDesc => "远程协商和网络议政：围绕年度协商计划的议题，委员与政府部门在线协商，形成协商建议。", "Remote consultations and online topics: members and departments deliberate on the year's plan and agree recommendations.";
    AreaMicroDesc => "微协商：群众点单、委员买单、协商解单、跟进查单，解决身边的具体问题。", "Micro-consultations: residents raise a local issue, members take it up, a consultation settles it, follow-up checks it.";
    AreaReadingDesc => "委员读书：按主题组建读书群，领读人导读，委员交流心得与笔记。", "Reading groups: themed groups read together, leaders guide each chapter, members share reflections and notes.";
    AreaEmptyConsultations => "目前没有公开的远程协商或网络议政议题。", "There are no open consultations or online topics right now.";
    AreaEmptyMicro => "目前没有公开的微协商事项。", "There are no open micro-consultations right now.";
    SignInForMore => "委员登录后还可以看到仅对委员开放的内容。", "Members who sign in also see what is open to members only.";
    SignInTitle => "登录议事平台", "Sign in to Yishi";
    LoginLabel => "用户名或手机号", "Username or mobile number";
    PasswordLabel => "密码", "Password";
    SigningIn => "正在登录…", "Signing in…";
    SignInHelp => "账号由政协机关统一开通。没有登记电子邮箱的账号，忘记密码请联系机关工作人员重置。", "Accounts are created by the committee office. If your account has no email address and you forgot your password, ask the office to reset it.";
    ChangePasswordTitle => "修改密码", "Change password";
    MustChangeNotice => "为了账号安全，首次登录请将初始密码修改为您自己的密码。", "For your account's safety, replace the one-time password with your own before continuing.";
    CurrentPassword => "当前密码", "Current password";
    NewPassword => "新密码", "New password";
    ConfirmPassword => "再次输入新密码", "Repeat the new password";
    PasswordHint => "至少 12 个字符，可以使用中文、字母、数字和符号。", "At least 12 characters; any letters, digits or symbols.";
    PasswordsDiffer => "两次输入的新密码不一致。", "The two new passwords differ.";
    SavePassword => "保存新密码", "Save new password";
    PasswordChanged => "密码已修改。其他设备上的登录已退出。", "Password changed. You were signed out on other devices.";
    MyActivityTitle => "我的履职", "My activity";
    MyProfile => "我的信息", "My profile";
    RoleAdmin => "机关工作人员", "Committee office staff";
    RoleMember => "委员", "Member";
    RoleOfficial => "部门工作人员", "Department official";
    Sector => "界别", "Sector";
    Committee => "专委会", "Special committee";
    Workstation => "委员工作站", "Member workstation";
    Department => "承办单位", "Department";
    Title => "职务", "Position";
    MyConsultations => "我参加的协商", "My consultations";
    MyMicro => "我参与的微协商", "My micro-consultations";
    MyReading => "我的读书群", "My reading groups";
    MyEmptyConsultations => "您还没有参加远程协商或网络议政。受邀参加后会显示在这里。", "You have not taken part in a consultation yet. Invitations will appear here.";
    MyEmptyMicro => "您还没有参与微协商。", "You have not taken part in a micro-consultation yet.";
    MyEmptyReading => "您还没有加入读书群。", "You have not joined a reading group yet.";
    AccountSecurity => "账号安全", "Account security";
    SignOutEverywhere => "退出所有设备", "Sign out everywhere";
    SignOutEverywhereHint => "在所有浏览器和手机上退出登录，例如手机丢失时。", "Sign out on every browser and phone, for example if a phone is lost.";
    NeedSignInTitle => "需要登录", "Sign-in needed";
    NeedSignInBody => "此页面仅对已登录的委员、部门和机关工作人员开放。", "This page is open to signed-in members, officials and staff.";
    NoAccessTitle => "没有权限", "No access";
    NoAccessBody => "此页面仅供政协机关工作人员使用。", "This page is for committee office staff only.";
    ProfileTitle => "个人信息", "Profile";
    ViewProfile => "查看资料页", "View profile page";
    AdminTitle => "系统管理", "Administration";
    AdminNav => "管理导航", "Administration navigation";
    AdminOrg => "组织机构", "Organisation";
    AdminSettings => "站点设置", "Settings";
    AdminAccounts => "账号管理", "Accounts";
    AdminImport => "批量导入", "Import";
    OrgSectors => "界别", "Sectors";
    OrgCommittees => "专委会", "Special committees";
    OrgDepartments => "承办单位", "Departments";
    OrgWorkstations => "委员工作站", "Member workstations";
    Name => "名称", "Name";
    Address => "地址", "Address";
    OrgEmpty => "还没有添加任何一项。", "Nothing added yet.";
    SettingsCommitteeName => "政协名称", "Committee name";
    SettingsFooter => "页脚文字（ICP 备案号、联系方式）", "Footer text (ICP filing number, contact)";
    SettingsTimeZone => "时区（用于截止日期和工作日）", "Time zone (for due dates and working days)";
    SearchAccounts => "搜索用户名、姓名或手机号", "Search username, name or phone";
    Search => "搜索", "Search";
    AllRoles => "全部角色", "All roles";
    AllStates => "全部状态", "All states";
    Active => "在用", "Active";
    Inactive => "已停用", "Deactivated";
    NewAccount => "新建账号", "New account";
    Username => "用户名", "Username";
    DisplayName => "姓名", "Name";
    Phone => "手机号", "Mobile number";
    RoleLabel => "角色", "Role";
    StateLabel => "状态", "State";
    CreatedAt => "创建时间", "Created";
    NextPage => "下一页", "Next page";
    PrevPage => "上一页", "Previous page";
    TotalAccounts => "共 {n} 个账号", "{n} accounts";
    NoAccountsMatch => "没有符合条件的账号。请换个关键词或清除筛选。", "No accounts match. Try other words or clear the filters.";
    MustChangePending => "待修改初始密码", "One-time password pending";
    CreateAccount => "创建账号", "Create account";
    UsernameHint => "3–32 个字母、数字、下划线、点或短横线，创建后不能修改。", "3–32 letters, digits, _ . or -; cannot be changed later.";
    OneTimePasswordTitle => "初始密码（只显示这一次）", "One-time password (shown only once)";
    OneTimePasswordHint => "请把用户名和初始密码告知本人。首次登录时必须修改。", "Give the username and this password to the person. They must change it at first sign-in.";
    EditAccount => "编辑账号", "Edit account";
    SaveAccount => "保存修改", "Save changes";
    Deactivate => "停用账号", "Deactivate account";
    Activate => "启用账号", "Activate account";
    ResetPassword => "重置密码", "Reset password";
    ResetPasswordHint => "重置后旧密码立即失效，该账号在所有设备上的登录都会退出。", "The old password stops working at once and the account is signed out everywhere.";
    BackToAccounts => "返回账号列表", "Back to accounts";
    ImportTitle => "批量导入账号", "Import accounts";
    ImportHelp => "上传 CSV 文件（UTF-8 编码，Excel 中另存为“CSV UTF-8”）。第一行为列名：用户名、姓名、角色（委员 / 部门人员 / 管理员），可选列：手机号、职务、界别、专委会、工作站、单位。", "Upload a CSV file (UTF-8; in Excel save as \"CSV UTF-8\"). The first line names the columns: username, display_name, role (member / official / admin); optional: phone, title, sector, committee, workstation, department.";
    ChooseFile => "选择 CSV 文件", "Choose a CSV file";
    OrPaste => "或在此粘贴 CSV 内容", "Or paste the CSV content here";
    Preview => "检查文件", "Check the file";
    PreviewSummary => "{valid} 行可以导入，{errors} 行有错误。", "{valid} rows can be imported, {errors} rows have errors.";
    Line => "行号", "Line";
    Problems => "检查结果", "Check result";
    RowOk => "可以导入", "Ready";
    RowUnreadable => "该行无法读取", "This row cannot be read";
    ImportAll => "导入全部 {n} 个账号", "Import all {n} accounts";
    ImportValid => "跳过错误行，导入 {n} 个有效账号", "Skip the bad rows and import {n} valid accounts";
    ImportDone => "已导入 {n} 个账号。", "{n} accounts imported.";
    DownloadResult => "下载初始密码表（CSV）", "Download one-time passwords (CSV)";
    ImportResultHint => "初始密码只在此显示一次，请立即下载保存，并妥善分发给本人。", "One-time passwords are shown only this once: download them now and hand them out safely.";
    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundBody => "您访问的页面不存在或已被移除。", "The page you asked for does not exist or was removed.";
    BackHome => "返回首页", "Back to the home page";
    JustNow => "刚刚", "just now";
    MinutesAgo => "{n} 分钟前", "{n} min ago";
    HoursAgo => "{n} 小时前", "{n} h ago";
    Required => "（必填）", "(required)";
    NewConsultation => "新建协商", "New consultation";
    ConsultationKindLabel => "协商形式", "Kind";
    KindRemote => "远程协商", "Remote consultation";
    KindOnline => "网络议政", "Online topic";
    VisibilityLabel => "公开范围", "Who may read";
    VisibilityPublic => "公开（任何人可看）", "Public (anyone)";
    VisibilityMembers => "仅限登录用户", "Signed-in users only";
    StateDraft => "草稿", "Draft";
    StatePublished => "已发布", "Published";
    StateLive => "进行中", "Live";
    StateConcluded => "已结束", "Concluded";
    StateOutcomePublished => "成果已发布", "Outcome published";
    StateClosed => "已办结", "Closed";
    AllConsultationStates => "全部状态", "All states";
    AllKinds => "全部形式", "All kinds";
    Year => "年份", "Year";
    AllYears => "全部年份", "All years";
    YearN => "{n} 年", "{n}";
    AllCommittees => "全部专委会", "All committees";
    ConsultationTitle => "议题名称", "Title";
    Description => "议题说明（支持 Markdown）", "Description (Markdown)";
    Chair => "主持人", "Chair";
    HostCommittee => "承办专委会", "Host committee";
    StartsAt => "开始时间", "Starts";
    EndsAt => "结束时间", "Ends";
    Venues => "会场（主会场、分会场）", "Venues (main and branch)";
    VideoLink => "视频会议链接", "Video conference link";
    InvitedSectors => "邀请的界别", "Invited sectors";
    InvitedCommittees => "邀请的专委会", "Invited committees";
    ParticipatingDepartments => "参加的承办单位", "Participating departments";
    CreateConsultation => "保存为草稿", "Save as draft";
    EditConsultation => "编辑协商", "Edit consultation";
    SaveConsultation => "保存", "Save";
    ActionPublish => "发布", "Publish";
    ActionStart => "开始会议", "Start the meeting";
    ActionConclude => "结束协商", "Conclude";
    ActionPublishOutcome => "发布成果", "Publish the outcome";
    ActionClose => "办结", "Close";
    History => "办理记录", "History";
    Discussion => "发言与讨论", "Discussion";
    NoPosts => "还没有发言。", "Nothing has been posted yet.";
    PostKindComment => "评论", "Comment";
    PostKindQuestion => "提问", "Question";
    PostKindAnswer => "部门答复", "Department answer";
    PostKindReply => "回复", "Reply";
    WriteYourPost => "您的发言", "Your post";
    PostKindLabel => "发言类型", "Type of post";
    SendPost => "发表", "Post";
    AnswerQuestion => "答复此问题", "Answer this question";
    SendAnswer => "提交答复", "Send answer";
    Like => "赞", "Like";
    ReadOnlyRoom => "您可以旁听本次协商。只有受邀委员和参加的部门可以发言。", "You may follow this consultation. Only invited members and participating departments post.";
    SignInToTakePart => "受邀委员请登录后参与。", "Invited members: sign in to take part.";
    LiveBadge => "直播中", "Live";
    ConnConnected => "已连接，内容实时更新", "Connected: updates arrive live";
    ConnReconnecting => "连接中断，正在重新连接…", "Connection lost, reconnecting…";
    ConnOffline => "已离线，稍后自动重试", "Offline; retrying shortly";
    NewPostArrived => "有新发言", "New post";
    Floor => "会议进程", "The meeting";
    SegmentLabel => "当前环节", "Segment";
    SegBriefing => "部门通报", "Departments' briefing";
    SegQuestions => "委员提问", "Members' questions";
    SegAnswers => "部门解答", "Departments' answers";
    SegSpeeches => "委员发言", "Members' speeches";
    NoSegment => "会议尚未开始", "Not started";
    CurrentSpeaker => "正在发言", "Speaking now";
    NobodySpeaking => "目前没有人发言", "Nobody is speaking";
    FloorMinutes => "发言时长（分钟）", "Floor time (minutes)";
    FloorMinutesDefault => "默认 8（即席 5）", "Default 8 (impromptu 5)";
    MemberSearchHint => "输入姓名、用户名或手机号", "Name, username or phone";
    NoMatches => "没有找到", "No matches";
    Choose => "选择", "Choose";
    NoChair => "未指定主持人", "No chair chosen";
    FindChair => "查找主持人", "Find the chair";
    InvitedIndividuals => "邀请个人", "Invited individuals";
    NoIndividuals => "未单独邀请任何人", "Nobody invited individually";
    InviteMember => "查找并邀请委员", "Find and invite a member";
    Remove => "移除", "Remove";
    NavSuggestions => "微建议", "Micro-suggestions";
    NavFollowUp => "办理跟踪", "Follow-up";
    SuggestionsDesc => "委员提出的简短建议，经审核后交有关部门办理，全程跟踪至办结。", "Members' short suggestions, reviewed, assigned to departments and tracked until done.";
    SuggestionViews => "微建议列表", "Suggestion lists";
    PublicSuggestions => "公开的微建议", "Public";
    MySuggestions => "我的微建议", "Mine";
    ReviewQueue => "待审核", "To review";
    NoPublicSuggestions => "还没有公开的微建议。", "No public suggestions yet.";
    NoOwnSuggestions => "您还没有提交微建议。点击“提交微建议”写下您的建议。", "You have not submitted any suggestions yet.";
    NoSuggestionsToReview => "没有待审核的微建议。", "Nothing to review.";
    NewSuggestion => "提交微建议", "Submit a suggestion";
    OnlyMembersSuggest => "微建议由政协委员提交。", "Micro-suggestions are submitted by committee members.";
    SuggestionHint => "请简要说明问题和建议，一事一议。机关审核后将交有关部门办理，您可以在“我的微建议”中查看进展。", "Describe one issue and your suggestion briefly. After review it goes to the department in charge; follow it under “Mine”.";
    SuggestionTitle => "标题", "Title";
    SuggestionBody => "建议内容", "Suggestion";
    SuggestionLocation => "地点（可选）", "Location (optional)";
    SuggestionPublic => "同意在审核通过后公开此建议", "Publish it once accepted";
    SubmitSuggestion => "提交", "Submit";
    SugSubmitted => "待审核", "Awaiting review";
    SugAccepted => "已受理", "Accepted";
    SugNotAccepted => "未受理", "Not accepted";
    SubmittedBy => "提出人", "Submitted by";
    SubmittedAt => "提交时间", "Submitted";
    NotAcceptedReason => "未受理原因", "Reason";
    DepartmentReply => "部门答复", "Department's reply";
    ViewTimeline => "查看办理过程", "See the timeline";
    ViewSource => "查看原建议", "See the suggestion";
    FollowUpState => "办理状态", "Follow-up state";
    ReviewSuggestion => "审核", "Review";
    AcceptAndAssign => "受理并交办", "Accept and assign";
    ReturnSuggestion => "不予受理并说明原因", "Return with a reason";
    ReturnReason => "原因（提出人可见）", "Reason (the member sees it)";
    LeadDepartment => "承办单位", "Lead department";
    AssistingDepartments => "协办单位", "Assisting departments";
    ChooseDepartment => "请选择", "Choose";
    DueDate => "办理期限", "Due date";
    FollowUpOverview => "办理跟踪总览", "Follow-up overview";
    DepartmentInbox => "本单位办理事项", "Department inbox";
    ItemsToRate => "我提出事项的办理情况", "Items I rate";
    FollowUpItem => "办理事项", "Tracked item";
    ExportCsv => "导出表格（CSV）", "Export (CSV)";
    PerDepartment => "各单位办理情况", "By department";
    Overdue => "逾期", "Overdue";
    AverageDays => "平均答复用时（工作日）", "Average working days to reply";
    Satisfaction => "满意度", "Satisfaction";
    SatisfactionLine => "满意 {s} · 基本满意 {b} · 不满意 {u}", "satisfied {s} · basically {b} · unsatisfied {u}";
    AllSources => "全部来源", "All sources";
    AllDepartments => "全部单位", "All departments";
    SourceLabel => "来源", "Source";
    OnlyOverdue => "只看逾期", "Overdue only";
    NoFollowUps => "没有符合条件的办理事项。", "No items match.";
    TotalItems => "共 {n} 项", "{n} items";
    SourceRecommendation => "协商建议", "Consultation recommendation";
    SourceMicroSuggestion => "微建议", "Micro-suggestion";
    FuAssigned => "已交办", "Assigned";
    FuInHandling => "办理中", "In handling";
    FuReturned => "退回待重新交办", "Returned";
    FuReplied => "已答复", "Replied";
    FuRated => "已评价", "Rated";
    FuClosed => "已办结", "Closed";
    ResultSolved => "已解决", "Solved";
    ResultInProgress => "正在解决或列入计划", "Being solved or planned";
    ResultForReference => "留作参考", "Kept for reference";
    RatingSatisfied => "满意", "Satisfied";
    RatingBasically => "基本满意", "Basically satisfied";
    RatingUnsatisfied => "不满意", "Unsatisfied";
    TlAssigned => "交办", "Assigned";
    TlAccepted => "签收办理", "Taken into handling";
    TlReturned => "退回（非本单位职责）", "Given back (not ours)";
    TlReassigned => "重新交办", "Reassigned";
    TlNote => "办理进展", "Progress";
    TlReplied => "答复", "Replied";
    TlRated => "评价", "Rated";
    TlClosed => "办结", "Closed";
    AssignedOn => "交办时间", "Assigned";
    Requester => "评价人", "Rated by";
    StaffRecordRating => "机关工作人员回访后代为评价", "Staff record it after a follow-up call";
    ReturnDeadline => "可退回期限", "Can be given back until";
    Rehandling => "再次办理", "Handled again";
    RehandlingNote => "提出人不满意，已退回重新办理；本次答复为最终答复。", "The requester was unsatisfied; the next reply is final.";
    RatingLabel => "评价", "Rating";
    AcceptItem => "签收办理", "Take into handling";
    CloseItem => "办结", "Close";
    ReplyTitle => "答复", "Reply";
    ResultClassLabel => "办理结果", "Result";
    ReplyText => "答复内容", "Reply";
    SendReply => "提交答复", "Send reply";
    RateTitle => "评价办理结果", "Rate the result";
    RatingReason => "意见（选择“不满意”时必填）", "Comment (required when unsatisfied)";
    SendRating => "提交评价", "Send rating";
    AddProgressNote => "添加办理进展", "Add progress note";
    ProgressNoteText => "进展情况", "Progress";
    GiveBackTitle => "退回（非本单位职责）", "Give back (not ours)";
    GiveBackHint => "交办后 3 个工作日内，如不属于本单位职责，可说明理由退回，由机关重新交办。", "Within 3 working days of assignment, give it back with a reason if it is not your department's business; staff reassign it.";
    GiveBackReason => "退回理由", "Reason";
    ReassignTitle => "重新交办", "Reassign";
    Reassign => "交办", "Assign";
    Timeline => "办理过程", "Timeline";
    SystemActor => "系统", "System";
    AdminCalendar => "工作日历", "Calendar";
    CalendarHint => "周一至周五为工作日。在此登记法定节假日和调休上班日，办理时限按工作日计算。", "Monday to Friday are working days. Record holidays and make-up working days here; follow-up deadlines count working days.";
    Date => "日期", "Date";
    DayKindLabel => "类型", "Kind";
    DayName => "名称", "Name";
    Holiday => "节假日", "Holiday";
    MakeUpWorkday => "调休上班", "Make-up working day";
    AddDay => "保存", "Save";
    NoCalendarDays => "这一年还没有登记节假日或调休。", "No holidays or make-up days recorded for this year.";
    Actions => "操作", "Actions";
    AllMySuggestions => "查看全部", "See all";
    ItemContent => "事项内容", "What it is about";
    PhotoHint => "JPEG、PNG 或 WebP 图片，每张不超过 5 MB。", "JPEG, PNG or WebP, at most 5 MB each.";
    SuggestionPhotos => "现场照片", "Photos";
    AddSuggestionPhoto => "添加现场照片（最多 3 张）", "Add a photo (up to 3)";
    EvidencePhotos => "办理佐证照片", "Evidence of handling";
    AddEvidencePhoto => "上传佐证照片", "Upload evidence";
    SourceMicroMeasure => "微协商措施", "Micro-consultation measure";
    MsRaised => "待受理", "Raised";
    MsDeclined => "不予受理", "Declined";
    MsAccepted => "已受理", "Accepted";
    MsGathering => "征集意见", "Gathering opinions";
    MsMeeting => "协商会议", "Meeting scheduled";
    MsConsensus => "已形成协商意见", "Consensus published";
    MsImplementation => "推动落实", "In implementation";
    MsResolved => "已解决", "Resolved";
    MsClosed => "已办结", "Closed";
    RaiseIssue => "我要反映", "Raise an issue";
    CountRaised => "待受理", "Raised";
    CountInProgress => "协商落实中", "In progress";
    CountResolved => "已解决", "Resolved";
    CountOverdueMeasures => "逾期措施", "Overdue measures";
    AllWorkstations => "全部工作站", "All workstations";
    NoMicro => "没有符合条件的微协商事项。", "No micro-consultations match.";
    RaiseHint => "请说明身边的具体民生问题：在哪里、什么情况、希望怎样解决。机关审核受理后，由委员工作站组织协商。", "Describe a concrete local issue: where, what, and what you hope for. After review a members' workstation takes it up.";
    IssueTitle => "问题标题", "Title";
    IssueDescription => "问题描述", "Description";
    IssueLocation => "地点", "Location";
    YourContact => "您的联系方式（仅机关工作人员可见）", "Your contact (staff only)";
    YourName => "姓名", "Name";
    YourPhone => "电话或其他联系方式", "Phone or other contact";
    PrivacyNotice => "个人信息告知：您的姓名和联系方式仅用于机关工作人员核实情况和回访，不会公开；事项办结后按规定期限删除。", "Personal information: your name and contact are used only by staff to check and follow up, never published, and erased a set period after the issue closes.";
    ConsentLabel => "我已阅读并同意上述个人信息告知", "I have read and agree to the notice above";
    SubmitIssue => "提交", "Submit";
    IssueReceivedTitle => "已收到您反映的问题", "Your issue has been received";
    IssueReceivedBody => "机关工作人员审核后会与您联系。审核通过前，您反映的内容不会公开。", "Staff will review it and contact you. Nothing is published before it is accepted.";
    RaiseMembersAndPublic => "微协商问题由委员和群众反映。", "Issues are raised by members and the public.";
    RaisedBy => "反映人", "Raised by";
    AResident => "群众", "A resident";
    ContactErased => "联系方式已按期删除", "Contact details erased";
    RaisedAt => "反映时间", "Raised";
    Takers => "认领委员", "Members taking it up";
    ConcernedDepartments => "相关部门", "Departments concerned";
    DeclineReason => "不予受理的原因", "Reason";
    OpenOpinions => "开始征集意见", "Open for opinions";
    StartImplementation => "推动落实", "Start implementation";
    ConfirmResolved => "确认已解决", "Confirm resolved";
    CloseIssue => "办结", "Close";
    AcceptIssue => "受理", "Accept";
    FindTaker => "查找认领委员", "Find a member";
    DeclineIssue => "不予受理", "Decline";
    RecordFeedback => "记录反映人意见", "Record the raiser's feedback";
    RaiserFeedback => "反映人意见", "Raiser's feedback";
    MeetingTitle => "协商会议", "Meeting";
    MeetingAt => "时间", "Time";
    MeetingPlace => "地点或线上链接", "Place or online link";
    MeetingParticipants => "参加人员", "Participants";
    MeetingRecord => "会议记录", "Record";
    SaveMeeting => "保存会议信息", "Save the meeting";
    ConsensusTitle => "协商意见", "Consensus";
    Measures => "落实措施", "Measures";
    PublishConsensus => "发布协商意见", "Publish the consensus";
    MeasureN => "措施 {n}", "Measure {n}";
    MeasureText => "措施内容", "Measure";
    AddMeasure => "再加一条措施", "Add a measure";
    Questionnaire => "协商前问卷", "Questionnaire";
    Respondents => "已有 {n} 人作答", "{n} answered";
    YouAnswered => "您已作答，谢谢。", "You have answered. Thank you.";
    MultipleChoice => "多选", "multiple choice";
    SubmitAnswers => "提交问卷", "Submit answers";
    EditQuestionnaire => "设置问卷", "Set the questionnaire";
    QuestionnaireHint => "每行一题，题目与选项用“：”分隔，选项之间用“/”分隔；多选题在行内加“[多选]”。例如：是否支持开放车位？：支持/不支持", "One question per line: the question, “：”, then options separated by “/”; add “[多选]” for multiple choice.";
    SaveQuestionnaire => "保存问卷", "Save questionnaire";
    Opinions => "意见建议", "Opinions";
    NoOpinions => "还没有意见。", "No opinions yet.";
    YourOpinion => "发表意见", "Your opinion";
    SendOpinion => "发表", "Post";
    AVisitor => "群众", "A visitor";
    IssuePhoto => "现场照片（可选）", "Photo (optional)";
    PhotoTooLarge => "照片不能超过 5 MB。", "The photo may be at most 5 MB.";
    BySchedule => "系统（按截止日期）", "Automatically (closing date)";
    Remaining => "剩余时间", "Time left";
    Overtime => "已超时", "Over time";
    Queue => "发言顺序", "Speaking order";
    QueueEmpty => "发言队列为空。", "Nobody is waiting to speak.";
    PendingApplications => "待安排的发言申请", "Applications to speak";
    Accept => "同意发言", "Accept";
    Decline => "不安排", "Decline";
    MoveUp => "上移", "Move up";
    MoveDown => "下移", "Move down";
    SetSegment => "切换到此环节", "Switch to this segment";
    CallNext => "请下一位发言", "Call the next speaker";
    EndSpeech => "结束当前发言", "End the current speech";
    ApplyToSpeak => "申请发言", "Apply to speak";
    SpeechModeLabel => "发言方式", "How you will speak";
    ModeVenue => "现场发言", "At a venue";
    ModeVideo => "视频发言", "By video";
    ModeWritten => "书面发言", "Written speech";
    SpeechSummary => "发言要点（书面发言请填写全文）", "Summary (full text for a written speech)";
    SubmitApplication => "提交发言申请", "Submit application";
    ApplicationSent => "发言申请已提交，请等待主持人安排。", "Application sent; the chair will arrange the order.";
    SpeechRecord => "发言记录", "Speeches heard";
    UsedTime => "用时", "Time used";
    Materials => "背景材料", "Background materials";
    NoMaterials => "暂无背景材料。", "No background materials yet.";
    UploadMaterial => "上传材料（PDF、Word 或图片，最大 10 MB）", "Upload a file (PDF, Word or image, at most 10 MB)";
    Uploading => "正在上传…", "Uploading…";
    Outcome => "协商成果", "Outcome";
    MinutesTitle => "会议纪要", "Minutes";
    MinutesNotYet => "会议纪要尚未发布。", "The minutes are not published yet.";
    MinutesDraftNotice => "纪要尚未发布，仅机关工作人员和主持人可见。", "Not published yet: visible to staff and the chair only.";
    AssembleDraft => "根据会议记录生成草稿", "Draft from the record";
    MinutesText => "纪要正文（Markdown）", "Minutes text (Markdown)";
    SaveMinutes => "保存纪要", "Save the minutes";
    PublishMinutes => "发布纪要", "Publish the minutes";
    PrintMinutes => "打印", "Print";
    Recommendations => "协商建议", "Recommendations";
    NoRecommendations => "还没有协商建议。", "No recommendations yet.";
    RecommendationText => "建议内容", "Recommendation";
    AddRecommendation => "添加建议", "Add recommendation";
    AddressedTo => "承办单位", "Addressed to";
    Attendance => "出席情况", "Attendance";
    RollCount => "出席 {n} 人（邀请 {m} 人）", "{n} attended ({m} invited)";
    RollHint => "线上进入会场和发言会自动记录；在会场出席的请在此勾选。", "Joining online and speaking are recorded automatically; tick those present at a venue here.";
    RollEmpty => "没有符合条件的人员", "Nobody matches";
    PersonName => "姓名", "Name";
    FindByName => "按姓名查找", "Find by name";
    AttendedHow => "出席方式", "How attended";
    AttendedOnline => "线上", "Online";
    AttendedSpeaker => "发言", "Spoke";
    AttendedVenue => "会场签到", "At a venue";
    Absent => "未出席", "Absent";
    SaveSettings => "保存设置", "Save settings";
    FieldTooCommon => "这个密码太常见，容易被猜中，请换一个。", "This password is too common and easy to guess; choose another.";
    MyPendingPosts => "待审核的发言", "Posts awaiting review";
    MyPendingPostsHint => "以下发言需经管理员审核后才会显示给其他人。", "These posts show to others once a moderator approves them.";
    PendingBadge => "待审核", "Awaiting review";
    PasswordForEmail => "当前密码（修改邮箱时需要填写）", "Current password (needed to change the email address)";
    NotificationFrom => "来自：{name}", "From {name}";
    PostHiddenByModerator => "该发言已被管理员隐藏。", "Hidden by a moderator.";
    SuspensionTitle => "暂停发言", "Suspend from posting";
    SuspendedUntil => "已暂停发言至 {until}。原因：{reason}", "Suspended from posting until {until}. Reason: {reason}";
    LiftSuspension => "解除暂停", "Lift the suspension";
    SuspendDays => "暂停天数（1–365）", "Days (1–365)";
    SuspendReason => "原因（会告知本人）", "Reason (the member is told)";
    Suspend => "暂停发言", "Suspend";
    YouAreSuspended => "您的账号已被暂停发言至 {until}。原因：{reason}。如有疑问请联系政协机关。", "Your account may not post until {until}. Reason: {reason}. Contact the committee office with any questions.";
    ForgotPasswordLink => "忘记密码？", "Forgot your password?";
    ForgotPasswordTitle => "找回密码", "Reset your password";
    ForgotPasswordHint => "输入用户名或手机号。如果账号登记了电子邮箱，我们会发送一个30分钟内有效的重设链接；没有登记邮箱的，请联系政协机关工作人员重设密码。", "Enter your username or mobile number. If the account has an email address, we send a link that works for 30 minutes; otherwise ask the committee office staff to reset your password.";
    SendResetLink => "发送重设链接", "Send the link";
    ResetLinkSent => "如果该账号登记了电子邮箱，重设链接已发出，请查收邮件。", "If the account has an email address, a link is on its way. Please check your email.";
    ResetPasswordTitle => "设置新密码", "Choose a new password";
    ResetLinkInvalid => "链接无效或已过期，请重新申请。", "This link is invalid or has expired. Please ask for a new one.";
    PasswordResetDone => "密码已重设，请用新密码登录。", "Your password is reset. Sign in with the new one.";
    ReportPost => "举报", "Report";
    ReportReason => "举报理由", "Reason";
    ReportSend => "提交举报", "Send report";
    ReportSent => "已提交举报，管理员会尽快处理。", "Report sent; a moderator will look at it.";
    PremoderationLabel => "先审后发：新发言经管理员审核后才显示", "Pre-moderation: new posts show after a moderator approves them";
    PostHeldForReview => "已提交，管理员审核通过后显示。", "Sent. It will appear once a moderator approves it.";
    NotificationsShort => "通知", "Notices";
    NotificationsUnread => "通知，{n} 条未读", "Notifications, {n} unread";
    NotificationsTitle => "通知", "Notifications";
    NotificationsEmpty => "暂时没有通知。", "No notifications yet.";
    MarkAllRead => "全部标为已读", "Mark all read";
    MarkRead => "标为已读", "Mark read";
    Unread => "未读", "Unread";
    NotificationSettingsTitle => "通知设置", "Notification settings";
    NotificationSettingsHint => "选择每类通知通过哪些渠道发给您。短信、微信等由委员会接入的网关（网络推送）发送。", "Choose the channels for each kind of notification. Text messages and WeChat go through the committee's gateway (webhook).";
    ChannelInApp => "站内", "In the app";
    ChannelEmail => "邮件", "Email";
    ChannelWebhook => "短信/微信", "SMS / WeChat";
    EmailAddress => "电子邮箱", "Email address";
    EmailUnavailable => "本平台尚未配置邮件发送，邮件通知暂不可用。", "Email is not set up on this server yet.";
    SettingsSaved => "设置已保存。", "Settings saved.";
    NkInvited => "邀请参加协商", "Invited to a consultation";
    NkStartingSoon => "协商即将开始", "Consultation starting soon";
    NkSpeechAccepted => "发言申请已通过", "Speech request accepted";
    NkSpeechDeclined => "发言申请未安排", "Speech request declined";
    NkNextSpeaker => "下一位发言", "You speak next";
    NkQuestionAnswered => "提问获答复", "Question answered";
    NkReply => "收到回复", "Reply to your post";
    NkFeatured => "发言被设为精华", "Post featured";
    NkAssigned => "新交办事项", "Item assigned";
    NkSuggestionReply => "微建议办理进展", "Suggestion progress";
    NkIssueState => "反映问题状态更新", "Issue update";
    NkOverdue => "办理超期", "Item overdue";
    NkPostHidden => "发言被隐藏", "Post hidden";
    NkPostApproved => "发言审核通过", "Post approved";
    ModerationTitle => "内容审核", "Moderation";
    ModerationQueueEmpty => "没有待处理的内容。", "Nothing waiting for a moderator.";
    QueueReported => "被举报", "Reported";
    QueuePremoderation => "先审后发", "Pre-moderation";
    QueueSensitiveWord => "含敏感词", "Sensitive word";
    HideReason => "隐藏理由（会告知作者）", "Reason for hiding (the author is told)";
    HidePostButton => "隐藏", "Hide";
    ApprovePost => "通过", "Approve";
    DismissReports => "驳回举报", "Dismiss reports";
    ReportsN => "{n} 条举报", "{n} reports";
    SensitiveWords => "敏感词", "Sensitive words";
    SensitiveWordsHint => "含有以下词语的发言会先进入审核队列，通过后才显示。", "Posts containing these words wait in the queue until approved.";
    AddWord => "添加", "Add";
    RemoveWord => "删除", "Remove";
    NewWord => "新敏感词", "New word";
    Done => "已处理。", "Done.";
    AuditTitle => "操作日志", "Audit log";
    AuditAction => "操作", "Action";
    AuditActor => "操作人", "By";
    AuditObject => "对象", "Object";
    AuditBefore => "之前", "Before";
    AuditAfter => "之后", "After";
    AuditAddress => "地址", "Address";
    AuditTime => "时间", "Time";
    AuditFilterAction => "按操作筛选（如 post.hide）", "Filter by action (e.g. post.hide)";
    AuditEmpty => "没有符合条件的记录。", "No entries match.";
    Scheduler => "系统", "System";
    Filter => "筛选", "Filter";
    SearchTitle => "搜索", "Search";
    SearchLabel => "搜索内容", "Search for";
    SearchPlaceholder => "输入关键词，如：养老、停车", "Words to find, e.g. 养老 (elderly care)";
    SearchButton => "搜索", "Search";
    SearchSite => "全站搜索", "Search the site";
    SearchKindFilter => "类型", "Type";
    SearchAllKinds => "全部类型", "All types";
    SearchAllYears => "全部年份", "All years";
    SearchHint => "输入关键词后按“搜索”。可以搜索协商、发言和答复、微协商、读书群和读书心得、微建议。", "Type some words and press Search. Consultations, posts and answers, micro-consultations, reading groups and posts, and micro-suggestions are searched.";
    SearchNothing => "没有找到与“{q}”相关的内容。可以换一个词，或去掉类型和年份筛选。", "Nothing found for “{q}”. Try other words, or clear the type and year filters.";
    SearchPageN => "第 {n} 页", "Page {n}";
    SearchKindConsultation => "协商", "Consultation";
    SearchKindConsultationPost => "协商发言", "Consultation post";
    SearchKindMicro => "微协商", "Micro-consultation";
    SearchKindMicroPost => "微协商意见", "Micro-consultation opinion";
    SearchKindReadingGroup => "读书群", "Reading group";
    SearchKindReadingPost => "读书交流", "Reading post";
    SearchKindSuggestion => "微建议", "Micro-suggestion";
}

/// The current language, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    pub locale: RwSignal<Locale>,
}

impl I18n {
    /// The text for `key` in the current language (reactive when read inside a closure).
    pub fn t(self, key: K) -> &'static str {
        text(self.locale.get(), key)
    }

    /// A reactive view of `key`, usable as a child or attribute value.
    pub fn tr(self, key: K) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || text(self.locale.get(), key)
    }

    /// `key` with `{n}`-style placeholders filled.
    pub fn fill(self, key: K, values: &[(&str, String)]) -> String {
        let mut s = self.t(key).to_owned();
        for (name, value) in values {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// A sentence a person can act on for any failed call.
    pub fn failure(self, failure: &Failure) -> String {
        let key = match failure.code() {
            "network" => K::ErrNetwork,
            "unauthenticated" => K::ErrUnauthenticated,
            "forbidden" => K::ErrForbidden,
            "csrf_failed" => K::ErrCsrf,
            "not_found" => K::ErrNotFound,
            "rate_limited" => K::ErrRateLimited,
            "invalid_credentials" => K::ErrInvalidCredentials,
            "account_disabled" => K::ErrAccountDisabled,
            "password_change_required" => K::ErrPasswordChangeRequired,
            "validation_failed" => K::ErrValidation,
            "conflict" => K::ErrConflict,
            "in_use" => K::ErrInUse,
            "import_has_errors" => K::ErrImportHasErrors,
            "service_unavailable" => K::ErrUnavailable,
            "payload_too_large" => K::ErrPayloadTooLarge,
            "edit_window_closed" => K::ErrEditWindowClosed,
            _ => K::ErrGeneric,
        };
        self.t(key).to_owned()
    }

    /// A field problem code from the server, in words.
    pub fn field_problem(self, code: &str) -> String {
        let key = match code {
            "required" => K::FieldRequired,
            "too_long" => K::FieldTooLong,
            "too_short" => K::FieldTooShort,
            "taken" => K::FieldTaken,
            "unknown" => K::FieldUnknown,
            "wrong" => K::FieldWrong,
            "same_as_old" => K::FieldSameAsOld,
            "too_common" => K::FieldTooCommon,
            "unknown_column" => K::FileUnknownColumn,
            "missing_column" => K::FileMissingColumn,
            "too_many_rows" => K::FileTooManyRows,
            "unreadable_header" => K::FileUnreadable,
            _ => K::FieldInvalid,
        };
        self.t(key).to_owned()
    }

    pub fn role(self, role: yishi_api::Role) -> &'static str {
        self.t(match role {
            yishi_api::Role::Admin => K::RoleAdmin,
            yishi_api::Role::Member => K::RoleMember,
            yishi_api::Role::Official => K::RoleOfficial,
        })
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_text() {
        assert_eq!(text(Locale::Zh, K::SignIn), "登录");
        assert_eq!(text(Locale::En, K::SignIn), "Sign in");
        assert_eq!(Locale::from_tag("en-US"), Locale::En);
        assert_eq!(Locale::from_tag("zh-CN"), Locale::Zh);
        for key in ALL {
            assert!(key.0.iter().all(|t| !t.is_empty()), "{key:?}");
        }
    }
}
